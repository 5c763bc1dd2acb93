// What every service of the gateway shares: the instance, config, keys, database pools, logger.
import pg from 'pg';
import { DB_PASSWORD, readConfig, type Instance, type ProjectConfig } from '../config.ts';
import { apiKeys, type ApiKeys } from '../keys.ts';

export interface GatewayContext {
  inst: Instance;
  config: ProjectConfig;
  keys: ApiKeys;
  /** The HS256 secret as bytes, for jose. */
  jwtKey: Uint8Array;
  /** One pool per database role a service logs in as; created on first use, closed on shutdown. */
  pool(role: 'authenticator' | 'supabase_auth_admin' | 'supabase_storage_admin' | 'supabase_admin'): pg.Pool;
  log(record: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function createContext(inst: Instance, config: ProjectConfig = readConfig()): Promise<GatewayContext> {
  const pools = new Map<string, pg.Pool>();
  return {
    inst,
    config,
    keys: await apiKeys(inst.jwtSecret),
    jwtKey: new TextEncoder().encode(inst.jwtSecret),
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
          application_name: `ascend-gateway-${role}`,
        });
        // An idle client's error (e.g. the database restarting) must not crash the gateway.
        p.on('error', (err) => console.error(JSON.stringify({ level: 'error', msg: 'pool error', role, err: err.message })));
        pools.set(role, p);
      }
      return p;
    },
    log(record) {
      process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      pools.clear();
    },
  };
}
