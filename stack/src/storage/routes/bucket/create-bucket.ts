// POST /bucket: create a bucket as the caller (an INSERT on storage.buckets under its RLS).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, OP, type StorageHttp } from '../../http.ts';

const fileSizeLimit = z.union([z.number().int().nonnegative(), z.string(), z.null()]).optional();

const body = z.object({
  name: z.string(),
  id: z.string().optional(),
  public: z.boolean().optional(),
  type: z.enum(['STANDARD', 'ANALYTICS']).optional(),
  file_size_limit: fileSizeLimit,
  allowed_mime_types: z.array(z.string()).nullable().optional(),
});

export default function createBucket(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/bucket', async (c) => {
    const { storage, caller } = await http.storage(c, OP.CREATE_BUCKET, 'jwt');
    const b = await jsonBody(c, body);
    await storage.createBucket({
      id: b.id,
      name: b.name,
      owner: caller.owner,
      public: b.public ?? false,
      fileSizeLimit: b.file_size_limit,
      allowedMimeTypes: b.allowed_mime_types,
    });
    return c.json({ name: b.name });
  });
}
