// pg_net's background worker in the gateway process: performs the HTTP requests that
// net.http_get/http_post/http_delete queue and records their responses (worker.ts). Mounted as a
// service only for its /health component and its shutdown; it serves no routes.
import { Hono } from 'hono';
import pg from 'pg';
import { DB_PASSWORD } from '../config.ts';
import type { GatewayContext } from '../kit/context.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { APPLICATION_NAME, PgNetWorker, type Conn } from './worker.ts';

export function pgNetService(ctx: GatewayContext): Service {
  const log = (record: Record<string, unknown>) => ctx.log({ service: 'pg_net', ...record });
  const worker = new PgNetWorker({
    connect: () =>
      new pg.Client({
        host: '127.0.0.1',
        port: ctx.inst.dbPort,
        database: 'postgres',
        user: 'supabase_admin',
        password: DB_PASSWORD,
        application_name: APPLICATION_NAME,
      }) as unknown as Conn,
    log,
  });
  void worker.start();
  return {
    prefix: '/pg-net',
    name: 'pg_net',
    app: new Hono<GatewayEnv>(),
    async health() {
      return worker.health();
    },
    close: () => worker.close(),
  };
}
