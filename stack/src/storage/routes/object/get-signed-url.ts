// POST /object/sign/:bucket/*key {expiresIn}: a download URL for an object the caller can read.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../gateway/service.ts';
import { bucketAndKey, jsonBody, OP, type StorageHttp } from '../../http.ts';
import { assertValidExpiresIn } from '../../signed-url.ts';

const body = z.object({ expiresIn: z.number().int().min(1), transform: z.record(z.string(), z.unknown()).optional() });

export default function getSignedUrl(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/sign/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.SIGN_OBJECT_URL, 'jwt');
    const { bucket, key } = bucketAndKey(c, 2);
    const { expiresIn } = await jsonBody(c, body);
    assertValidExpiresIn(expiresIn);
    return c.json({ signedURL: await storage.from(bucket).signObjectUrl(key, expiresIn) });
  });
}
