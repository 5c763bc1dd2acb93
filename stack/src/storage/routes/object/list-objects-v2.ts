// POST /object/list-v2/:bucket: one page of objects under a prefix, flat or grouped into folders
// (`with_delimiter`), with an opaque cursor for the next page; RLS decides what is listed.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, OP, type StorageHttp } from '../../http.ts';

const body = z.object({
  prefix: z.string().optional(),
  limit: z.number().int().min(1).optional(),
  cursor: z.string().optional(),
  with_delimiter: z.boolean().optional(),
  sortBy: z
    .object({
      column: z.enum(['name', 'updated_at', 'created_at']),
      order: z.enum(['asc', 'desc']).optional(),
    })
    .optional(),
});

export default function listObjectsV2(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/list-v2/:bucket', async (c) => {
    const { storage } = await http.storage(c, OP.LIST_OBJECTS_V2, 'jwt');
    const b = await jsonBody(c, body);
    const result = await storage.from(c.req.param('bucket')).listObjectsV2({
      prefix: b.prefix,
      withDelimiter: b.with_delimiter,
      limit: b.limit,
      cursor: b.cursor,
      sortBy: b.sortBy,
    });
    return c.json(result);
  });
}
