// PUT /bucket/:bucketId: public flag, size limit, allowed MIME types (an UPDATE under RLS).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, OP, type StorageHttp } from '../../http.ts';

const body = z.object({
  public: z.boolean().optional(),
  file_size_limit: z.union([z.number().int().nonnegative(), z.string(), z.null()]).optional(),
  allowed_mime_types: z.array(z.string()).nullable().optional(),
});

export default function updateBucket(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.put('/bucket/:bucketId', async (c) => {
    const { storage } = await http.storage(c, OP.UPDATE_BUCKET, 'jwt');
    const b = await jsonBody(c, body);
    await storage.updateBucket(c.req.param('bucketId'), {
      public: b.public,
      fileSizeLimit: b.file_size_limit,
      allowedMimeTypes: b.allowed_mime_types,
    });
    return c.json({ message: 'Successfully updated' });
  });
}
