// GET /bucket: the buckets the caller's RLS lets it see (none for users without a policy).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { bucketJson, OP, type StorageHttp } from '../../http.ts';

const query = z.object({
  limit: z.coerce.number().int().min(1).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  sortColumn: z.enum(['id', 'name', 'created_at', 'updated_at']).optional(),
  sortOrder: z.enum(['asc', 'desc']).optional(),
  search: z.string().optional(),
});

export default function listBuckets(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/bucket', async (c) => {
    const { storage } = await http.storage(c, OP.LIST_BUCKET, 'jwt');
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw ERRORS.ValidationError(`querystring/${issue?.path.join('/') ?? ''} ${issue?.message ?? 'is invalid'}`);
    }
    const rows = await storage.listBuckets(parsed.data);
    const fields = ['id', 'name', 'public', 'owner', 'created_at', 'updated_at', 'file_size_limit', 'allowed_mime_types', 'type'] as const;
    return c.json(rows.map((b) => bucketJson(b, [...fields])));
  });
}
