// `/functions/v1`: Supabase Edge Functions on real Deno. Each function declared in config.toml
// (`[functions.<name>]`) runs in its own Deno process on a loopback port, started on its first
// request and again after a crash. The gateway checks `verify_jwt` as the edge runtime does, then
// forwards method, headers, `/<name>/<rest>?<query>` and the streamed body, and streams the answer
// back. Failures answer the runtime's `{code, message}` bodies. With STACK_WATCH=1 a change under
// functions/ (or to config.toml) retires the running processes, so the next request loads new code.
// Secrets come from functions/.env, overridden by the instance's own `.supabase/<instance>/functions.env`
// (how a test points the AI functions at its fake provider); an edit of either file retires the
// running processes, so the next request sees the new values.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Hono } from 'hono';
import { apiUrl, dbUrl, functionsDir as projectFunctionsDir, readConfig, supabaseDir } from '../config.ts';
import type { GatewayContext } from '../kit/context.ts';
import { edge } from '../kit/forwarded.ts';
import { verifyJwt } from '../kit/jwt.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { jwtRefusal } from './auth.ts';
import { denoBinary, denoEnv, denoVersion } from './deno.ts';
import { resolveFunctions, sameDefinition, type FunctionDefinition } from './definitions.ts';
import { readSecrets } from './env-file.ts';
import { localResendEnv } from '../kit/local-sinks.ts';
import { ensureProjectSecrets, projectSecrets } from './vault-secrets.ts';
import { functionError, unauthorized } from './errors.ts';
import { forward } from './proxy.ts';
import { BootError, FunctionWorker } from './worker.ts';

const PREFIX = '/functions/v1';

export interface FunctionsOptions {
  /** config.toml, re-read under watch; the functions of `ctx.config` are served first. */
  configPath?: string;
  /** The functions directory: watched under `watch`, holds the secrets file. */
  functionsDir?: string;
  /** Secrets for every function, dotenv syntax. Default `<functionsDir>/.env`. */
  envFile?: string;
  /** This instance's own secrets, over `envFile`. Default `<instance dir>/functions.env`. */
  instanceEnvFile?: string;
  /** Reload on file change. Default: STACK_WATCH=1. */
  watch?: boolean;
  /** Longest wait for a function's response headers (Supabase's wall clock: 400 s locally). */
  wallClockMs?: number;
  /** Longest wait for a function's `Deno.serve` (includes a first download of npm packages). */
  bootTimeoutMs?: number;
  /** How long a retired process may finish the responses it is streaming. */
  retireGraceMs?: number;
  /** Write this instance's Vault secrets project_url and service_role_key (the gateway does). */
  projectSecrets?: boolean;
}

export function functionsService(ctx: GatewayContext, options: FunctionsOptions = {}): Service {
  const configPath = options.configPath ?? join(supabaseDir(), 'config.toml');
  const functionsDir = options.functionsDir ?? projectFunctionsDir();
  const envFile = options.envFile ?? join(functionsDir, '.env');
  const instanceEnvFile = options.instanceEnvFile ?? join(ctx.inst.dir, 'functions.env');
  const wallClockMs = options.wallClockMs ?? 400_000;
  const bootTimeoutMs = options.bootTimeoutMs ?? 120_000;
  const retireGraceMs = options.retireGraceMs ?? 30_000;
  const bin = denoBinary();
  const log = (record: Record<string, unknown>) => ctx.log({ service: 'functions', ...record });

  let definitions = resolveFunctions(ctx.config.functions, dirname(configPath));
  const workers = new Map<string, FunctionWorker>();
  const all = new Set<FunctionWorker>();

  /** The environment Supabase gives a function, over the secrets files, over what Deno needs. */
  function functionEnv(): Record<string, string> {
    const secrets = readSecrets(envFile);
    const own = readSecrets(instanceEnvFile);
    for (const warning of [...secrets.warnings, ...own.warnings]) log({ level: 'warn', msg: 'functions env file', warning });
    return {
      ...denoEnv(),
      ...localResendEnv(secrets.vars, apiUrl(ctx.inst), ctx.keys.serviceRoleKey),
      ...secrets.vars,
      ...own.vars,
      SUPABASE_URL: apiUrl(ctx.inst),
      SUPABASE_ANON_KEY: ctx.keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: ctx.keys.serviceRoleKey,
      SUPABASE_DB_URL: dbUrl(ctx.inst),
      // Supabase's newer defaults (docs: functions/secrets): the opaque keys as JSON dictionaries,
      // and the key set /auth/v1/.well-known/jwks.json serves, to verify user JWTs in a function.
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: ctx.keys.publishableKey }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: ctx.keys.secretKey }),
      SUPABASE_JWKS: JSON.stringify({ keys: ctx.jwtKeys.publicJwks }),
    };
  }

  /** Changes when either secrets file is written, created or removed. */
  function secretsVersion(): string {
    return [envFile, instanceEnvFile]
      .map((f) => {
        try {
          const st = statSync(f);
          return `${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');
  }
  const secretsOf = new WeakMap<FunctionWorker, string>();

  function workerFor(def: FunctionDefinition): FunctionWorker {
    const current = workers.get(def.name);
    const version = secretsVersion();
    if (current?.usable && sameDefinition(current.def, def) && secretsOf.get(current) === version) return current;
    current?.retire(retireGraceMs);
    const worker = new FunctionWorker({ def, bin, env: functionEnv(), bootTimeoutMs, log });
    secretsOf.set(worker, version);
    log({ level: 'info', msg: 'function starting', function: def.name, pid: worker.pid });
    workers.set(def.name, worker);
    all.add(worker);
    void worker.exited.then((exit) => {
      all.delete(worker);
      if (workers.get(def.name) === worker) workers.delete(def.name);
      if (!exit.stopped) {
        log({ level: 'error', msg: 'function process exited', function: def.name, code: exit.code, signal: exit.signal, out_of_memory: exit.outOfMemory });
      }
    });
    return worker;
  }

  /** New code on the next request: running processes finish what they serve, then stop. */
  function retireAll(reason: string): void {
    if (workers.size > 0) log({ level: 'info', msg: 'functions reloading', reason });
    for (const w of workers.values()) w.retire(retireGraceMs);
    workers.clear();
  }

  // pg_cron jobs reach the functions through the Vault secrets project_url and service_role_key.
  if (options.projectSecrets) void ensureProjectSecrets(ctx.pool('supabase_admin'), projectSecrets(apiUrl(ctx.inst), ctx.keys.serviceRoleKey)).then(
    (written) => written.length > 0 && log({ level: 'info', msg: 'vault secrets for pg_cron set', names: written }),
    (e: unknown) => log({ level: 'warn', msg: 'cannot set the vault secrets for pg_cron', err: (e as Error).message }),
  );

  const app = new Hono<GatewayEnv>();
  app.all('*', async (c) => {
    const url = new URL(c.req.raw.url);
    const path = url.pathname.slice(PREFIX.length);
    const name = path.split('/')[1] ?? '';
    const def = definitions.get(name);
    if (!def) return functionError('NOT_FOUND');

    if (c.req.method !== 'OPTIONS' && def.verifyJwt) {
      const known = c.get('jwt');
      const refusal = await jwtRefusal(c.req.header('authorization'), async (token) =>
        known?.ok && known.token === token ? true : (await verifyJwt(token, ctx.jwtKeys)).ok,
      );
      if (refusal) return unauthorized(refusal);
    }

    const worker = workerFor(def);
    worker.acquire();
    let port: number;
    try {
      port = await worker.ready;
    } catch (e) {
      worker.release();
      const output = e instanceof BootError ? e.output.slice(-10) : [];
      log({ level: 'error', msg: 'function failed to boot', function: name, reason: (e as Error).message, output });
      return functionError('BOOT_ERROR');
    }
    const result = await forward(c.req.raw, {
      port,
      path: path + url.search,
      prefix: PREFIX,
      wallClockMs,
      onDone: () => worker.release(),
      from: edge(c),
    });
    if (result.ok) return result.response;
    // The caller went away before an answer: nobody reads this one.
    if (result.reason === 'aborted') return functionError('WORKER_ERROR');
    if (result.reason === 'limit') {
      log({ level: 'error', msg: 'function exceeded its wall clock', function: name, wall_clock_ms: wallClockMs });
      return functionError('WORKER_LIMIT');
    }
    // Did the process die? Then an out-of-memory is a resource limit, anything else an error.
    const exit = await Promise.race([worker.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref())]);
    log({ level: 'error', msg: 'function request failed', function: name, reason: result.error?.message ?? result.reason });
    return functionError(exit?.outOfMemory ? 'WORKER_LIMIT' : 'WORKER_ERROR');
  });

  const watchers: FSWatcher[] = [];
  if (options.watch ?? process.env.STACK_WATCH === '1') {
    let timer: NodeJS.Timeout | undefined;
    let configChanged = false;
    const changed = (what: string) => {
      configChanged ||= what === basename(configPath);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (configChanged) {
          configChanged = false;
          try {
            definitions = resolveFunctions(readConfig(configPath).functions, dirname(configPath));
          } catch (e) {
            log({ level: 'error', msg: 'functions config not reloaded', reason: (e as Error).message });
            return;
          }
        }
        retireAll(`${what} changed`);
      }, 150);
    };
    const onError = (e: Error) => log({ level: 'warn', msg: 'functions watcher failed', reason: e.message });
    const watchDir = (dir: string, recursive: boolean, on: (file: string) => void) => {
      try {
        watchers.push(watch(dir, { recursive }, (_e, file) => on(String(file ?? ''))).on('error', onError));
      } catch (e) {
        onError(e as Error);
      }
    };
    watchDir(functionsDir, true, (file) => changed(file || functionsDir));
    watchDir(dirname(configPath), false, (file) => {
      if (file === basename(configPath)) changed(file);
    });
  }

  // Should the gateway end without `close` (an uncaught error), take the Deno processes along.
  const killAll = () => {
    for (const w of all) w.killNow();
  };
  process.once('exit', killAll);

  let deno: { ok: true; at: number } | undefined;
  return {
    prefix: PREFIX,
    name: 'functions',
    app,
    async health() {
      if (deno && Date.now() - deno.at < 60_000) return true;
      const v = await denoVersion(bin);
      if (!v.ok) return `deno is not runnable: ${v.reason}`;
      deno = { ok: true, at: Date.now() };
      return true;
    },
    async close() {
      for (const w of watchers) w.close();
      process.off('exit', killAll);
      workers.clear();
      await Promise.all([...all].map((w) => w.stop()));
    },
  };
}
