// DELETE /object/:bucket/*key: remove one object (DELETE policy as the caller).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketAndKey, OP, type StorageHttp } from '../../http.ts';

export default function deleteObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.delete('/object/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.DELETE_OBJECT, 'jwt');
    const { bucket, key } = bucketAndKey(c, 1);
    await storage.from(bucket).deleteObject(key);
    return c.json({ message: 'Successfully deleted' });
  });
}
