// PUT /object/:bucket/*key: replace an object (always an upsert: insert, update and select).
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketAndKey, OP, type StorageHttp, uploadInput } from '../../http.ts';

export default function updateObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.put('/object/:bucket/*', async (c) => {
    const { storage, caller } = await http.storage(c, OP.UPDATE_OBJECT, 'jwt');
    const { bucket, key } = bucketAndKey(c, 1);
    const { id, path } = await storage.from(bucket).uploadFromRequest(uploadInput(c), { objectName: key, owner: caller.owner, isUpsert: true });
    return c.json({ Id: id, Key: path });
  });
}
