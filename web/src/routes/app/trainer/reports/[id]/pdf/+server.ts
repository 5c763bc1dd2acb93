// The report as a PDF, made by the ai-trainer function for whoever may read the session (the
// learner, their organisation's staff): the request goes on with the caller's own token, so the
// function's RLS decides; this route only makes it a same-origin download.
import { error } from '@sveltejs/kit';
import { callTrainer } from '$lib/server/trainer.ts';
import { sessionIdSchema } from '$lib/trainer/trainer.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user || !sessionIdSchema.safeParse(params.id).success) error(404, { message: 'Training report not found' });
  const res = await callTrainer(locals, `/sessions/${params.id}/report.pdf`);
  if (res.status === 404 || res.status === 403) error(404, { message: 'Training report not found', hint: 'It does not exist or is not yours to read.' });
  if (res.status === 409) error(409, { message: 'This session has no report yet', hint: 'End the session first.' });
  if (!res.ok || !res.body) error(503, { message: 'The PDF could not be made just now.', hint: 'Try again in a moment.' });
  return new Response(res.body, {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="training-report-${params.id}.pdf"`,
      'cache-control': 'private, no-store',
    },
  });
};
