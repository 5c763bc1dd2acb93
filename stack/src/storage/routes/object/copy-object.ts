// POST /object/copy: copy within or across buckets (SELECT on the source, INSERT on the copy).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../../kit/service.ts';
import { jsonBody, objectJson, OP, type StorageHttp } from '../../http.ts';
import { parseUserMetadata } from '../../uploader.ts';

const body = z.object({
  bucketId: z.string(),
  sourceKey: z.string(),
  destinationKey: z.string(),
  destinationBucket: z.string().optional(),
  copyMetadata: z.boolean().optional(),
  metadata: z.object({ cacheControl: z.string().optional(), mimetype: z.string().optional() }).optional(),
});

export default function copyObject(app: Hono<GatewayEnv>, http: StorageHttp): void {
  app.post('/object/copy', async (c) => {
    const { storage, caller } = await http.storage(c, OP.COPY_OBJECT, 'jwt');
    const b = await jsonBody(c, body);
    const destinationBucket = b.destinationBucket || b.bucketId;
    const xMetadata = c.req.header('x-metadata');
    const row = await storage.from(b.bucketId).copyObject({
      sourceKey: b.sourceKey,
      destinationBucket,
      destinationKey: b.destinationKey,
      owner: caller.owner,
      copyMetadata: b.copyMetadata ?? true,
      metadata: b.metadata,
      userMetadata: xMetadata !== undefined ? parseUserMetadata(xMetadata) : undefined,
      upsert: c.req.header('x-upsert') === 'true',
    });
    return c.json({ Id: row.id, Key: `${destinationBucket}/${b.destinationKey}`, ...objectJson(row) });
  });
}
