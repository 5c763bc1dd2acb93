// PLACEHOLDER until the functions service is written: answers 501 so nothing pretends to work.
import { Hono } from 'hono';
import type { GatewayContext } from '../gateway/context.ts';
import type { GatewayEnv, Service } from '../gateway/service.ts';

export function functionsService(_ctx: GatewayContext): Service {
  const app = new Hono<GatewayEnv>();
  app.all('*', (c) => c.json({ message: 'functions is not implemented yet' }, 501));
  return { prefix: '/functions/v1', name: 'functions', app, health: async () => 'not implemented' };
}
