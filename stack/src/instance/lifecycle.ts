// The lifecycle of one stack instance: start (first time: create and build), stop, status.
import { apiUrl, dbUrl, readConfig, type Instance } from '../config.ts';
import { apiKeys } from '../kit/api-keys.ts';
import { projectJwtKeys } from '../kit/jwt-keys.ts';
import { isBootstrapped, migrate, reset, type BuildHooks } from './database.ts';
import { clusterExists, ensurePortFree, initCluster, isRunning, startCluster, stopCluster } from './cluster.ts';
import { ensureLocalExtensions, ensureSystemDependencies } from './system-install.ts';
import { gatewayPid, startGateway, stopGateway } from './gateway-process.ts';

export type Log = (msg: string) => void;

/**
 * Starts the instance and brings its database up to date. Idempotent. `built` means the
 * database was just rebuilt from scratch (first start), `started` that pending migrations ran.
 * `fresh` rebuilds an existing database instead of migrating it (the test runner: a stale
 * instance's history, e.g. a migration applied by hand, must not stop a run that rebuilds anyway).
 */
export async function start(
  inst: Instance,
  log: Log,
  hooks: BuildHooks = {},
  opts: { fresh?: boolean } = {},
): Promise<'built' | 'started' | 'already running'> {
  // A broken signing keys file stops the start here, naming the file, not in the gateway's log.
  await projectJwtKeys(inst.jwtSecret, readConfig());
  await ensureSystemDependencies(log);
  ensureLocalExtensions(log);
  if (await isRunning(inst)) {
    // The database survives a crashed gateway; bring the gateway back.
    return (await startGateway(inst)) === 'already running' ? 'already running' : 'started';
  }
  await ensurePortFree(inst.dbPort, '[db] port in supabase/config.toml (or STACK_DB_PORT)');
  if (!clusterExists(inst)) {
    log(`creating the ${inst.name} database cluster in ${inst.dataDir}`);
    await initCluster(inst);
  }
  await startCluster(inst);
  let outcome: 'built' | 'started' = 'started';
  if ((await isBootstrapped(inst)) && !opts.fresh) {
    await migrate(inst);
  } else {
    log('building the database: platform bootstrap, migrations, seed');
    await reset(inst, hooks);
    outcome = 'built';
  }
  await startGateway(inst);
  return outcome;
}

/** `reset` on a running instance: the gateway is stopped around it, so no connection or cache outlives the old database. */
export async function rebuild(inst: Instance, hooks: BuildHooks = {}): Promise<void> {
  const gatewayWasRunning = gatewayPid(inst) !== undefined;
  await stopGateway(inst);
  await reset(inst, hooks);
  if (gatewayWasRunning) await startGateway(inst);
}

export async function stop(inst: Instance): Promise<'stopped' | 'not running'> {
  const gateway = await stopGateway(inst);
  if (!(await isRunning(inst))) return gateway;
  await stopCluster(inst);
  return 'stopped';
}

export interface StatusVars {
  DB_URL: string;
  API_URL: string;
  JWT_SECRET: string;
  JWKS_URL: string;
  PUBLISHABLE_KEY: string;
  SECRET_KEY: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
}

export async function statusVars(inst: Instance): Promise<StatusVars> {
  const keys = await apiKeys(await projectJwtKeys(inst.jwtSecret, readConfig()));
  return {
    DB_URL: dbUrl(inst),
    API_URL: apiUrl(inst),
    JWT_SECRET: inst.jwtSecret,
    JWKS_URL: `${apiUrl(inst)}/auth/v1/.well-known/jwks.json`,
    PUBLISHABLE_KEY: keys.publishableKey,
    SECRET_KEY: keys.secretKey,
    ANON_KEY: keys.anonKey,
    SERVICE_ROLE_KEY: keys.serviceRoleKey,
  };
}

export function formatStatus(vars: StatusVars, format: 'env' | 'json' | 'pretty'): string {
  if (format === 'json') return JSON.stringify(vars, null, 2);
  if (format === 'env') return Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n');
  const labels: Record<keyof StatusVars, string> = {
    API_URL: 'API URL',
    DB_URL: 'Database URL',
    JWT_SECRET: 'JWT secret',
    JWKS_URL: 'JWKS URL',
    PUBLISHABLE_KEY: 'Publishable key',
    SECRET_KEY: 'Secret key',
    ANON_KEY: 'anon key',
    SERVICE_ROLE_KEY: 'service_role key',
  };
  return (Object.keys(labels) as (keyof StatusVars)[]).map((k) => `${labels[k].padStart(18)}: ${vars[k]}`).join('\n');
}
