// POST /bucket/:bucketId/empty: deletes every object (service_role only, as upstream).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { OP, type StorageHttp } from '../../http.ts';

export default function emptyBucket(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/bucket/:bucketId/empty', async (c) => {
    const { storage, caller, isAuthenticated } = await http.storage(c, OP.EMPTY_BUCKET, 'jwt');
    if (!isAuthenticated) throw ERRORS.AccessDenied('Access denied: JWT is not authenticated').withStatusCode(403);
    if (caller.role !== 'service_role') throw ERRORS.AccessDenied('Access denied: Invalid role').withStatusCode(403);
    await storage.emptyBucket(c.req.param('bucketId'));
    return c.json({ message: 'Empty bucket has been queued. Completion may take up to an hour.' });
  });
}
