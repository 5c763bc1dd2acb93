// Content negotiation: the response media from the Accept header (PostgREST's negotiateContent).
import { Errors } from '../errors.ts';
import type { MediaType } from '../request.ts';
import type { ResponseMedia } from './types.ts';

export function negotiate(accept: MediaType[], opts: { rpcScalar?: boolean }): ResponseMedia {
  for (const mt of accept) {
    switch (mt.kind) {
      case 'json':
      case 'any':
        return { handler: 'json', contentType: 'application/json; charset=utf-8' };
      case 'array-stripped':
        return { handler: 'json-stripped', contentType: 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8' };
      case 'singular':
        return mt.stripped
          ? { handler: 'singular-stripped', contentType: 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8' }
          : { handler: 'singular', contentType: 'application/vnd.pgrst.object+json; charset=utf-8' };
      case 'csv':
        if (opts.rpcScalar) continue;
        return { handler: 'csv', contentType: 'text/csv; charset=utf-8' };
      default:
        continue;
    }
  }
  throw Errors.mediaType(accept.map((m) => m.mime));
}

