// GET (and HEAD) /object/authenticated/:bucket/*key and /object/:bucket/*key: download. Public
// buckets need no policy; private ones are read through the caller's SELECT policy. Without a
// valid token only the second form answers, and only for public buckets.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { assetResponse, type AuthMode, bucketAndKey, OP, type StorageContext, type StorageHttp } from '../../http.ts';

async function download(c: StorageContext, http: StorageHttp, fixed: number, mode: AuthMode): Promise<Response> {
  const head = c.req.method === 'HEAD';
  const { storage, isAuthenticated } = await http.storage(c, head ? OP.HEAD_AUTH_OBJECT_INFO : OP.GET_AUTH_OBJECT, mode);
  const { bucket: bucketId, key } = bucketAndKey(c, fixed);
  const bucket = await storage.asSuperUser().findBucketOrUndefined(bucketId);
  if (!bucket || (!isAuthenticated && !bucket.public)) throw ERRORS.NoSuchBucket(bucketId);
  const reader = bucket.public ? storage.asSuperUser() : storage;
  const obj = await reader.from(bucketId).findObject(key);
  return assetResponse(c, http.backend, obj, { download: c.req.query('download') });
}

export default function getObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/object/authenticated/:bucket/*', (c) => download(c, http, 2, 'jwt'));
  app.get('/object/:bucket/*', (c) => download(c, http, 1, 'optional'));
}
