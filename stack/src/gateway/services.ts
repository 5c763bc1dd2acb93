// The services the gateway mounts, in one list.
import { authService, mailService } from '../auth/index.ts';
import { functionsService } from '../edge-runtime/index.ts';
import { pgNetService } from '../pg-net/index.ts';
import { realtimeService } from '../realtime/index.ts';
import { resendSinkService } from '../resend-sink/index.ts';
import { RestDatabase } from '../rest/db.ts';
import { graphqlService } from '../rest/graphql/index.ts';
import { restService } from '../rest/index.ts';
import { storageService } from '../storage/index.ts';
import type { GatewayContext } from '../kit/context.ts';
import type { Service } from '../kit/service.ts';
import { Hono } from 'hono';
import type { GatewayEnv } from '../kit/service.ts';

/** The database itself, as the gateway's connections see it. */
function databaseService(ctx: GatewayContext): Service {
  return {
    prefix: '/db',
    name: 'db',
    app: new Hono<GatewayEnv>(),
    async health() {
      await ctx.pool('authenticator').query('select 1');
      return true;
    },
  };
}

/**
 * `secondary`: a second gateway over an instance that has its own (tests that need other AUTH_*
 * settings, e.g. signing keys): it serves every API but leaves the instance-wide jobs, the Vault
 * secrets pg_cron reaches the functions by and the pg_net worker, to the instance's gateway.
 */
export function createServices(ctx: GatewayContext, { secondary = false }: { secondary?: boolean } = {}): Service[] {
  return [
    databaseService(ctx), authService(ctx), mailService(ctx), ...restAndGraphql(ctx), functionsService(ctx, { projectSecrets: !secondary }),
    storageService(ctx), realtimeService(ctx), ...(secondary ? [] : [pgNetService(ctx)]), resendSinkService(ctx),
  ];
}

/**
 * REST and GraphQL over one schema cache (one `NOTIFY pgrst` listener, one reload), as hosted
 * Supabase serves pg_graphql through PostgREST.
 */
function restAndGraphql(ctx: GatewayContext): Service[] {
  const db = new RestDatabase(ctx.pool('authenticator'), ctx.config.api.schemas, ctx.log);
  const started = db.start();
  return [restService(ctx, db, started), graphqlService(ctx, db, started)];
}
