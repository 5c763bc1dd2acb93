// POST /object/move: rename or move to another bucket (SELECT + UPDATE as the caller).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, OP, type StorageHttp } from '../../http.ts';

const body = z.object({
  bucketId: z.string(),
  sourceKey: z.string(),
  destinationKey: z.string(),
  destinationBucket: z.string().optional(),
});

export default function moveObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/move', async (c) => {
    const { storage, caller } = await http.storage(c, OP.MOVE_OBJECT, 'jwt');
    const b = await jsonBody(c, body);
    const moved = await storage.from(b.bucketId).moveObject(b.sourceKey, b.destinationBucket || b.bucketId, b.destinationKey, caller.owner);
    return c.json({ message: 'Successfully moved', Id: moved.id, Key: moved.name });
  });
}
