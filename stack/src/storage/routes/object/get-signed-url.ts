// POST /object/sign/:bucket/*key {expiresIn, transform?}: a download URL for an object the caller
// can read; with transformations it is a signed render URL (`/render/image/sign/...`) whose
// token carries them.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketAndKey, jsonBody, OP, type StorageHttp } from '../../http.ts';
import { assertValidExpiresIn } from '../../signed-url.ts';
import { parseTransformBody, transformationSegments, transformBodySchema } from '../../transform.ts';

const body = z.object({ expiresIn: z.number().int().min(1), transform: transformBodySchema.optional() });

export default function getSignedUrl(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/sign/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.SIGN_OBJECT_URL, 'jwt');
    const { bucket, key } = bucketAndKey(c, 2);
    const { expiresIn, transform } = await jsonBody(c, body);
    const options = transform ? parseTransformBody(transform) : {};
    assertValidExpiresIn(expiresIn);
    // Without image transformations the transform is validated, then ignored (a plain object URL).
    const render = http.deps.imageTransformation === false ? undefined : { transformations: transformationSegments(options, true).join(','), format: options.format ?? '' };
    return c.json({ signedURL: await storage.from(bucket).signObjectUrl(key, expiresIn, render) });
  });
}
