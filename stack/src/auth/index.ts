// PLACEHOLDER until the auth service is written: answers 501 so nothing pretends to work.
import { Hono } from 'hono';
import type { GatewayContext } from '../gateway/context.ts';
import type { GatewayEnv, Service } from '../gateway/service.ts';

export function authService(_ctx: GatewayContext): Service {
  const app = new Hono<GatewayEnv>();
  app.all('*', (c) => c.json({ message: 'auth is not implemented yet' }, 501));
  return { prefix: '/auth/v1', name: 'auth', app, health: async () => 'not implemented' };
}
