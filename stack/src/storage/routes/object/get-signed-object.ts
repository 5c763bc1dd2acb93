// GET /object/sign/:bucket/*key?token=: download through a signed URL; the token is the only
// credential (it names the object and expires).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { assetResponse, bucketAndKey, OP, type StorageHttp } from '../../http.ts';

export default function getSignedObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/object/sign/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.GET_SIGNED_OBJECT, 'none');
    const token = c.req.query('token');
    if (!token) throw ERRORS.ValidationError("querystring must have required property 'token'");
    const { bucket, key } = bucketAndKey(c, 2);
    const admin = storage.asSuperUser().from(bucket);
    const { exp } = await admin.verifyDownloadToken(token, key);
    const obj = await admin.findObject(key);
    return assetResponse(c, http.backend, obj, { download: c.req.query('download'), expires: new Date(exp * 1000).toUTCString() });
  });
}
