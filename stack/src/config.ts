// Reads supabase/config.toml, the project's single source of truth, and describes the stack
// instances built from it: `dev` (the developer's data) and `test` (disposable, own ports).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { StackError } from './errors.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const port = z.number().int().min(1).max(65535);

/** The parts of config.toml the stack reads; everything else is the Supabase CLI's business. */
const configSchema = z.object({
  project_id: z.string().min(1),
  api: z.object({
    port,
    schemas: z.array(z.string()).default(['public', 'graphql_public']),
    extra_search_path: z.array(z.string()).default(['public', 'extensions']),
    max_rows: z.number().int().positive().default(1000),
  }),
  db: z.object({ port, major_version: z.number().int().default(15) }),
  db_seed: z.object({ enabled: z.boolean(), sql_paths: z.array(z.string()) }).optional(),
  auth: z
    .object({ jwt_expiry: z.number().int().positive().default(3600) })
    .passthrough()
    .default({ jwt_expiry: 3600 }),
});

export type ProjectConfig = z.infer<typeof configSchema>;

export function readConfig(path = join(projectRoot, 'supabase', 'config.toml')): ProjectConfig {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new StackError(`cannot read ${path}: ${(e as Error).message}`, 'fix the TOML syntax in supabase/config.toml');
  }
  const db = (raw.db ?? {}) as Record<string, unknown>;
  const parsed = configSchema.safeParse({ ...raw, db_seed: db.seed });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StackError(
      `invalid supabase/config.toml at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown error'}`,
      'correct that setting in supabase/config.toml',
    );
  }
  return parsed.data;
}

/** Well-known local defaults, as `supabase start` uses; override with the environment. */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DB_PASSWORD = 'postgres';

export type InstanceName = 'dev' | 'test' | (string & {});

export interface Instance {
  name: InstanceName;
  /** Where this instance keeps its cluster, logs and state; under `.supabase/`, never committed. */
  dir: string;
  dataDir: string;
  logFile: string;
  dbPort: number;
  apiPort: number;
  jwtSecret: string;
  /** Speed over durability: only for the disposable test instance. */
  disposable: boolean;
}

/** Test instances sit 100 ports above the configured ones, so they never meet the developer's. */
const TEST_PORT_OFFSET = 100;

export function instance(
  name: InstanceName = process.env.STACK_INSTANCE ?? 'dev',
  config: ProjectConfig = readConfig(),
  env: NodeJS.ProcessEnv = process.env,
): Instance {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new StackError(`invalid instance name "${name}"`, 'use lower-case letters, digits and dashes');
  }
  const offset = name === 'dev' ? 0 : TEST_PORT_OFFSET;
  const dir = join(projectRoot, '.supabase', name);
  const dbPort = env.STACK_DB_PORT ? port.parse(Number(env.STACK_DB_PORT)) : config.db.port + offset;
  const apiPort = env.STACK_API_PORT ? port.parse(Number(env.STACK_API_PORT)) : config.api.port + offset;
  const jwtSecret = env.JWT_SECRET ?? DEFAULT_JWT_SECRET;
  if (jwtSecret.length < 32) {
    throw new StackError('JWT_SECRET is shorter than 32 characters', 'set JWT_SECRET to at least 32 characters');
  }
  return {
    name,
    dir,
    dataDir: join(dir, 'postgres'),
    logFile: join(dir, 'postgres.log'),
    dbPort,
    apiPort,
    jwtSecret,
    disposable: name !== 'dev',
  };
}

export function dbUrl(inst: Instance, user = 'postgres', database = 'postgres'): string {
  return `postgresql://${user}:${DB_PASSWORD}@127.0.0.1:${inst.dbPort}/${database}`;
}

export function apiUrl(inst: Instance): string {
  return `http://127.0.0.1:${inst.apiPort}`;
}
