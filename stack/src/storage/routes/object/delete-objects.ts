// DELETE /object/:bucket {prefixes}: storage-js `remove()`; answers the rows actually deleted
// (what RLS let the caller delete), silently skipping the rest, as upstream.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, objectJson, OP, type StorageHttp } from '../../http.ts';

const body = z.object({ prefixes: z.array(z.string()).min(1) });

export default function deleteObjects(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.delete('/object/:bucket', async (c) => {
    const { storage } = await http.storage(c, OP.DELETE_OBJECTS, 'jwt');
    const b = await jsonBody(c, body);
    const rows = await storage.from(c.req.param('bucket')).deleteObjects(b.prefixes);
    return c.json(rows.map(objectJson));
  });
}
