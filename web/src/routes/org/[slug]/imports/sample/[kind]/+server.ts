import { error } from '@sveltejs/kit';
import { IMPORT_KINDS, SAMPLES } from '../../imports.ts';
import type { RequestHandler } from './$types';

// A sample CSV to start from: the same for everyone, nothing of the organisation's in it.
export const GET: RequestHandler = ({ params }) => {
  const kind = IMPORT_KINDS.find((k) => k === params.kind);
  if (!kind) error(404, { message: 'There is no such sample file.' });
  const { filename, csv } = SAMPLES[kind];
  return new Response(csv, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'public, max-age=3600' },
  });
};
