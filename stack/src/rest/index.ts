// PLACEHOLDER until the rest service is written: answers 501 so nothing pretends to work.
import { Hono } from 'hono';
import type { GatewayContext } from '../gateway/context.ts';
import type { GatewayEnv, Service } from '../gateway/service.ts';

export function restService(_ctx: GatewayContext): Service {
  const app = new Hono<GatewayEnv>();
  app.all('*', (c) => c.json({ message: 'rest is not implemented yet' }, 501));
  return { prefix: '/rest/v1', name: 'rest', app, health: async () => 'not implemented' };
}
