// Content negotiation: the response media from the Accept header (PostgREST's negotiateContent).
import { Errors } from '../errors.ts';
import type { MediaType } from '../request.ts';
import type { ResponseMedia } from './types.ts';

export function negotiate(accept: MediaType[], opts: { rpcScalar?: boolean; planEnabled?: boolean }): ResponseMedia {
  for (const mt of accept) {
    // The plan media type is only offered with db-plan-enabled (PostgREST's mtPlanToNothing).
    if (mt.kind === 'plan') {
      if (!opts.planEnabled || !mt.plan) continue;
      const inner = pick(mt.plan.for, opts);
      if (!inner) continue;
      return { handler: inner.handler, contentType: `${mt.mime}; charset=utf-8`, explain: { format: mt.plan.format, options: mt.plan.options } };
    }
    const media = pick(mt, opts);
    if (media) return media;
  }
  throw Errors.mediaType(accept.map((m) => m.mime));
}

function pick(mt: MediaType, opts: { rpcScalar?: boolean }): ResponseMedia | undefined {
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
        if (opts.rpcScalar) return undefined;
        return { handler: 'csv', contentType: 'text/csv; charset=utf-8' };
      default:
        return undefined;
  }
}

