// POST /object/sign/:bucket {expiresIn, paths}: many download URLs; a path the caller cannot read
// gets an error entry instead of a URL.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, OP, type StorageHttp } from '../../http.ts';
import { MAX_OBJECTS_PER_REQUEST } from '../../limits.ts';
import { assertValidExpiresIn } from '../../signed-url.ts';

const body = z.object({ expiresIn: z.number().int().min(1), paths: z.array(z.string()).min(1).max(MAX_OBJECTS_PER_REQUEST) });

export default function getSignedUrls(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/sign/:bucket', async (c) => {
    const { storage } = await http.storage(c, OP.SIGN_OBJECT_URLS, 'jwt');
    const { expiresIn, paths } = await jsonBody(c, body);
    assertValidExpiresIn(expiresIn);
    return c.json(await storage.from(c.req.param('bucket')).signObjectUrls(paths, expiresIn));
  });
}
