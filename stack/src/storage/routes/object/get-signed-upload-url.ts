// POST /object/upload/sign/:bucket/*key: a URL to upload one object later, if the caller may
// insert it now (`x-upsert: true` to allow overwriting).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketAndKey, OP, type StorageHttp } from '../../http.ts';
import { parseUserMetadata } from '../../uploader.ts';

export default function getSignedUploadUrl(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/upload/sign/:bucket/*', async (c) => {
    const { storage, caller } = await http.storage(c, OP.SIGN_UPLOAD_URL, 'jwt');
    const { bucket, key } = bucketAndKey(c, 3);
    const xMetadata = c.req.header('x-metadata');
    const length = c.req.header('content-length');
    const signed = await storage.from(bucket).signUploadObjectUrl(key, caller.owner, {
      upsert: c.req.header('x-upsert') === 'true',
      userMetadata: xMetadata !== undefined ? parseUserMetadata(xMetadata) : undefined,
      metadata: { mimetype: c.req.header('content-type'), contentLength: length ? Number(length) : undefined },
    });
    return c.json({ url: signed.url, token: signed.token });
  });
}
