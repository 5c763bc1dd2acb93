// POST /object/:bucket/*key: upload (raw body or multipart), `x-upsert: true` to overwrite.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { bucketAndKey, OP, type StorageHttp, uploadInput } from '../../http.ts';

export default function createObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/:bucket/*', async (c) => {
    const { storage, caller } = await http.storage(c, OP.CREATE_OBJECT, 'jwt');
    const { bucket, key } = bucketAndKey(c, 1);
    const { id, path } = await storage.from(bucket).uploadFromRequest(uploadInput(c), {
      objectName: key,
      owner: caller.owner,
      isUpsert: c.req.header('x-upsert') === 'true',
    });
    return c.json({ Id: id, Key: path });
  });
}
