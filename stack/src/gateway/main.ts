// The gateway process: `stack start` runs it in the background, `npm start` through `up`. With
// STACK_GATEWAY_SECONDARY=1 it is a second gateway on another port over a running instance, for
// tests with other AUTH_* settings (services.ts says what it leaves to the first).
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { instance } from '../config.ts';
import { createApp } from './app.ts';
import { applyEdgeTimeouts } from './http-server.ts';
import { createContext } from '../kit/context.ts';
import { createServices } from './services.ts';

const inst = instance();
const ctx = await createContext(inst);
const services = createServices(ctx, { secondary: process.env.STACK_GATEWAY_SECONDARY === '1' });
const app = createApp(ctx, services);

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: inst.apiPort }, () => {
  ctx.log({ level: 'info', msg: 'gateway listening', url: `http://127.0.0.1:${inst.apiPort}`, instance: inst.name });
}) as Server;
applyEdgeTimeouts(server);

server.on('upgrade', (req, socket, head) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const target = services.find((s) => s.upgrade && path.startsWith(`${s.prefix}/`));
  if (target?.upgrade) target.upgrade(req, socket, head);
  else socket.destroy();
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  ctx.log({ level: 'info', msg: 'gateway stopping', signal });
  // Services first: server.close() waits for upgraded sockets (realtime), which only they close.
  await Promise.all(services.map((s) => s.close?.()));
  server.closeAllConnections?.();
  await new Promise<void>((res) => server.close(() => res()));
  await ctx.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
