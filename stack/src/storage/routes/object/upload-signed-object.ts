// PUT /object/upload/sign/:bucket/*key?token=: upload through a signed upload URL, as the user
// who signed it (owner and upsert come from the token).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { bucketAndKey, OP, type StorageHttp, uploadInput } from '../../http.ts';

export default function uploadSignedObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.put('/object/upload/sign/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.UPLOAD_SIGN_OBJECT, 'none');
    const token = c.req.query('token');
    if (!token) throw ERRORS.ValidationError("querystring must have required property 'token'");
    const { bucket, key } = bucketAndKey(c, 3);
    const admin = storage.asSuperUser().from(bucket);
    const { owner, upsert } = await admin.verifyUploadToken(token, key);
    const { path } = await admin.uploadFromRequest(uploadInput(c), { objectName: key, owner, isUpsert: Boolean(upsert) });
    return c.json({ Key: path });
  });
}
