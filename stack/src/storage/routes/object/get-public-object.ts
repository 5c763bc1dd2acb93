// GET (and HEAD) /object/public/:bucket/*key: anyone may read an object of a public bucket.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { assetResponse, bucketAndKey, OP, type StorageHttp } from '../../http.ts';

export default function getPublicObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/object/public/:bucket/*', async (c) => {
    const op = c.req.method === 'HEAD' ? OP.INFO_PUBLIC_OBJECT : OP.GET_PUBLIC_OBJECT;
    const { storage } = await http.storage(c, op, 'none');
    const { bucket, key } = bucketAndKey(c, 2);
    const admin = storage.asSuperUser();
    const [, obj] = await Promise.all([admin.findBucket(bucket, { isPublic: true }), admin.from(bucket).findObject(key)]);
    return assetResponse(c, http.backend, obj, { download: c.req.query('download') });
  });
}
