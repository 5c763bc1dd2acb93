// What every service of the gateway shares: the instance, config, keys, database pools, logger.
import pg from 'pg';
import { DB_PASSWORD, readConfig, type Instance, type ProjectConfig } from '../config.ts';
import { apiKeys, type ApiKeys } from './api-keys.ts';
import { projectJwtKeys, type JwtKeys } from './jwt-keys.ts';

export interface GatewayContext {
  inst: Instance;
  config: ProjectConfig;
  keys: ApiKeys;
  /** The JWT secret and signing keys, imported once: what signs and verifies every token. */
  jwtKeys: JwtKeys;
  /** One pool per database role a service logs in as; created on first use, closed on shutdown. */
  pool(role: 'authenticator' | 'supabase_auth_admin' | 'supabase_storage_admin' | 'supabase_admin'): pg.Pool;
  log(record: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** How long a request waits for a connection (PostgREST's default db-pool-acquisition-timeout). */
export const POOL_ACQUISITION_TIMEOUT_MS = 10_000;

export async function createContext(inst: Instance, config: ProjectConfig = readConfig()): Promise<GatewayContext> {
  const pools = new Map<string, pg.Pool>();
  const log = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  const jwtKeys = await projectJwtKeys(inst.jwtSecret, config);
  return {
    inst,
    config,
    keys: await apiKeys(jwtKeys),
    jwtKeys,
    pool(role) {
      let p = pools.get(role);
      if (!p) {
        p = new pg.Pool({
          host: '127.0.0.1',
          port: inst.dbPort,
          database: 'postgres',
          user: role,
          password: DB_PASSWORD,
          max: 10,
          // PostgREST's db-pool-acquisition-timeout: a request waits this long, then PGRST003.
          connectionTimeoutMillis: POOL_ACQUISITION_TIMEOUT_MS,
          application_name: `ascend-gateway-${role}`,
        });
        const onError = (err: Error) => log({ level: 'warn', msg: 'database connection lost', role, err: err.message });
        // pg-pool listens for errors only on idle clients; a checked-out client whose server
        // dies (kill -9 of the postmaster, 57P01) emits 'error' with nobody listening, which
        // would end the process. Every client gets its own listener for its whole life; the
        // query it was running fails, and release() drops it from the pool.
        p.on('connect', (client) => client.on('error', onError));
        // The pool re-emits an idle client's error, already logged by the client's listener; it
        // still needs a listener of its own, or the re-emitted error would end the process.
        p.on('error', () => undefined);
        pools.set(role, p);
      }
      return p;
    },
    log,
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      pools.clear();
    },
  };
}
