// DELETE /bucket/:bucketId: removes an empty bucket (a DELETE under RLS).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { OP, type StorageHttp } from '../../http.ts';

export default function deleteBucket(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.delete('/bucket/:bucketId', async (c) => {
    const { storage } = await http.storage(c, OP.DELETE_BUCKET, 'jwt');
    await storage.deleteBucket(c.req.param('bucketId'));
    return c.json({ message: 'Successfully deleted' });
  });
}
