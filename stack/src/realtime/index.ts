// PLACEHOLDER until the realtime service is written: answers 501 so nothing pretends to work.
import { Hono } from 'hono';
import type { GatewayContext } from '../gateway/context.ts';
import type { GatewayEnv, Service } from '../gateway/service.ts';

export function realtimeService(_ctx: GatewayContext): Service {
  const app = new Hono<GatewayEnv>();
  app.all('*', (c) => c.json({ message: 'realtime is not implemented yet' }, 501));
  return { prefix: '/realtime/v1', name: 'realtime', app, health: async () => 'not implemented' };
}
