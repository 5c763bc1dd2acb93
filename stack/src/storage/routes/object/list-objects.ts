// POST /object/list/:bucket: files and folders below a prefix (storage.search under RLS).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, objectJson, OP, type StorageHttp } from '../../http.ts';

const body = z.object({
  prefix: z.string(),
  limit: z.number().int().min(1).optional(),
  offset: z.number().int().min(0).optional(),
  sortBy: z
    .object({
      column: z.enum(['name', 'updated_at', 'created_at', 'last_accessed_at']),
      order: z.enum(['asc', 'desc']).optional(),
    })
    .optional(),
  search: z.string().optional(),
});

export default function listObjects(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/list/:bucket', async (c) => {
    const { storage } = await http.storage(c, OP.LIST_OBJECTS, 'jwt');
    const b = await jsonBody(c, body);
    const rows = await storage.from(c.req.param('bucket')).searchObjects(b.prefix, { limit: b.limit, offset: b.offset, search: b.search, sortBy: b.sortBy });
    return c.json(rows.map(objectJson));
  });
}
