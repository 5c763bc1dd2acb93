// An auth-only gateway (the same edge: CORS, API keys, JWT check, request log) on its own port,
// for test instances that need different `[auth]` settings through AUTH_* variables (a Custom
// Access Token hook, low rate limits, autoconfirm) without restarting the stack's gateway:
//   STACK_INSTANCE=test STACK_DB_PORT=… STACK_API_PORT=<free port> AUTH_RATE_LIMIT_EMAIL_SENT=2 \
//     node --import tsx stack/src/gateway/auth-only.ts
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { instance } from '../config.ts';
import { createApp } from './app.ts';
import { applyEdgeTimeouts } from './http-server.ts';
import { createContext } from '../kit/context.ts';
import { authService, mailService } from '../auth/index.ts';

const inst = instance();
const ctx = await createContext(inst);
const app = createApp(ctx, [authService(ctx), mailService(ctx)]);

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: inst.apiPort }, () => {
  ctx.log({ level: 'info', msg: 'auth gateway listening', url: `http://127.0.0.1:${inst.apiPort}`, instance: inst.name });
}) as Server;
applyEdgeTimeouts(server);

async function shutdown(): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((res) => server.close(() => res()));
  await ctx.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
