// GET /object/info/{authenticated,public}/:bucket/*key and /object/info/:bucket/*key: an
// object's metadata as JSON (storage-js `info()` and `exists()`).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { parseTransformQuery, transformationSegments } from '../../transform.ts';
import { type AuthMode, bucketAndKey, infoJson, OP, type StorageContext, type StorageHttp } from '../../http.ts';

async function info(c: StorageContext, http: StorageHttp, fixed: number, mode: AuthMode, publicRoute: boolean): Promise<Response> {
  const { storage, isAuthenticated } = await http.storage(c, publicRoute ? OP.INFO_PUBLIC_OBJECT : OP.GET_AUTH_OBJECT_INFO, mode);
  // Transformation options are accepted (and echoed in X-Transformations), as upstream's InfoRenderer does.
  const segments = transformationSegments(parseTransformQuery(c.req.query()));
  const { bucket: bucketId, key } = bucketAndKey(c, fixed);
  const bucket = await storage.asSuperUser().findBucketOrUndefined(bucketId);
  if (!bucket || (!isAuthenticated && !bucket.public)) throw ERRORS.NoSuchBucket(bucketId);
  const reader = bucket.public || publicRoute ? storage.asSuperUser() : storage;
  const obj = await reader.from(bucketId).findObject(key);
  const headers: Record<string, string> = {};
  if (obj.metadata?.eTag) headers.ETag = obj.metadata.eTag;
  if (obj.metadata?.cacheControl) headers['Cache-Control'] = obj.metadata.cacheControl;
  if (segments.length > 0) headers['X-Transformations'] = segments.join(',');
  return c.json(infoJson(obj), 200, headers);
}

export default function getObjectInfo(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/object/info/public/:bucket/*', (c) => info(c, http, 3, 'none', true));
  app.get('/object/info/authenticated/:bucket/*', (c) => info(c, http, 3, 'jwt', false));
  app.get('/object/info/:bucket/*', (c) => info(c, http, 2, 'optional', false));
}
