// PLACEHOLDER until the storage service is written: answers 501 so nothing pretends to work.
import { Hono } from 'hono';
import type { GatewayContext } from '../gateway/context.ts';
import type { GatewayEnv, Service } from '../gateway/service.ts';

export function storageService(_ctx: GatewayContext): Service {
  const app = new Hono<GatewayEnv>();
  app.all('*', (c) => c.json({ message: 'storage is not implemented yet' }, 501));
  return { prefix: '/storage/v1', name: 'storage', app, health: async () => 'not implemented' };
}
