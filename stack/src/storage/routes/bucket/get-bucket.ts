// GET /bucket/:bucketId: one bucket, if the caller's RLS lets it see it.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketJson, OP, type StorageHttp } from '../../http.ts';

export default function getBucket(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.get('/bucket/:bucketId', async (c) => {
    const { storage } = await http.storage(c, OP.GET_BUCKET, 'jwt');
    const bucket = await storage.findBucket(c.req.param('bucketId'));
    return c.json(bucketJson(bucket, ['id', 'name', 'owner', 'public', 'created_at', 'updated_at', 'file_size_limit', 'allowed_mime_types']));
  });
}
