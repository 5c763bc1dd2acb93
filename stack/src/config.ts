// Reads supabase/config.toml, the project's single source of truth, and describes the stack
// instances built from it: `dev` (the developer's data) and `test` (disposable, own ports).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { StackError } from './errors.ts';
import { storageConfigSchema } from './config-storage.ts';

/** This repository: the stack's code, and `.supabase/<instance>` where every instance keeps its data. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The Supabase project the stack runs: the folder holding `supabase/config.toml`, its migrations,
 * seed and functions. This repository by default; any other project with `--workdir <dir>`, which
 * the CLI passes on (to the gateway too) as STACK_WORKDIR. The one place the project is resolved.
 */
export function projectDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_WORKDIR ? resolve(env.STACK_WORKDIR) : projectRoot;
}

/** `<project>/supabase`: config.toml, migrations, seed; config paths are relative to it. */
export function supabaseDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(projectDir(env), 'supabase');
}

/**
 * The edge functions' folder: `supabase/functions`, where the Supabase CLI keeps them, or this
 * repository's `functions/` (its config.toml points the entrypoints there) when that is absent.
 */
export function functionsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cli = join(supabaseDir(env), 'functions');
  return existsSync(cli) ? cli : join(projectDir(env), 'functions');
}

const port = z.number().int().min(1).max(65535);

/** A Go duration as config.toml writes it (`"1s"`, `"1m30s"`, `"500ms"`). */
const goDuration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration such as "1s" or "1m"');
const rateLimit = z.number().int().nonnegative();
/** `[auth.mfa.<factor>]`: off unless the project turns it on (the CLI's defaults). */
const mfaFactor = z
  .object({ enroll_enabled: z.boolean().default(false), verify_enabled: z.boolean().default(false) })
  .passthrough()
  .prefault({});

/** `[auth]`: the keys the local GoTrue reads, with the Supabase CLI's names and defaults. */
export const authSchema = z
  .object({
    jwt_expiry: z.number().int().positive().default(3600),
    /** A JWK set of private RS256/ES256 keys (kit/jwt-keys.ts); relative to supabase/, absolute once read. */
    signing_keys_path: z.string().optional(),
    site_url: z.string().default('http://127.0.0.1:3000'),
    additional_redirect_urls: z.array(z.string()).default([]),
    enable_refresh_token_rotation: z.boolean().default(true),
    refresh_token_reuse_interval: z.number().int().nonnegative().default(10),
    enable_signup: z.boolean().default(true),
    enable_anonymous_sign_ins: z.boolean().default(false),
    enable_manual_linking: z.boolean().default(false),
    minimum_password_length: z.number().int().nonnegative().default(6),
    password_requirements: z
      .enum(['', 'letters_digits', 'lower_upper_letters_digits', 'lower_upper_letters_digits_symbols'])
      .default(''),
    rate_limit: z
      .object({
        email_sent: rateLimit.default(2),
        sms_sent: rateLimit.default(30),
        anonymous_users: rateLimit.default(30),
        token_refresh: rateLimit.default(150),
        sign_in_sign_ups: rateLimit.default(30),
        token_verifications: rateLimit.default(30),
        web3: rateLimit.default(30),
      })
      .passthrough()
      .prefault({}),
    email: z
      .object({
        enabled: z.boolean().optional(),
        enable_signup: z.boolean().optional(),
        double_confirm_changes: z.boolean().default(true),
        enable_confirmations: z.boolean().default(false),
        secure_password_change: z.boolean().default(false),
        max_frequency: goDuration.default('1s'),
        otp_length: z.number().int().min(6).max(10).default(6),
        otp_expiry: z.number().int().positive().default(3600),
      })
      .passthrough()
      .prefault({}),
    /** `[auth.sms]`: phone sign-in; `test_otp` maps numbers to fixed codes (no SMS is sent to them). */
    sms: z
      .object({
        enabled: z.boolean().optional(),
        enable_signup: z.boolean().optional(),
        enable_confirmations: z.boolean().default(false),
        max_frequency: goDuration.default('5s'),
        test_otp: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
      })
      .passthrough()
      .prefault({}),
    /** `[auth.mfa]`: the factors users may enrol and verify, as the CLI's GOTRUE_MFA_* variables. */
    mfa: z
      .object({
        max_enrolled_factors: z.number().int().positive().default(10),
        totp: mfaFactor,
        phone: mfaFactor,
        web_authn: mfaFactor,
      })
      .passthrough()
      .prefault({}),
    hook: z
      .object({
        custom_access_token: z
          .object({ enabled: z.boolean().default(false), uri: z.string().default('') })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .prefault({}),
  })
  .passthrough();

export type AuthConfig = z.infer<typeof authSchema>;

/** One `[functions.<name>]` table, with the Supabase CLI's keys; paths are relative to supabase/. */
export const functionSchema = z
  .object({
    enabled: z.boolean().default(true),
    verify_jwt: z.boolean().default(true),
    entrypoint: z.string().min(1).optional(),
    import_map: z.string().min(1).optional(),
    static_files: z.array(z.string()).default([]),
  })
  .passthrough();

/** The parts of config.toml the stack reads; everything else is the Supabase CLI's business. */
const configSchema = z.object({
  /** Optional, as for `supabase start`: the project folder's name when config.toml has none. */
  project_id: z.string().min(1),
  // Every key has the Supabase CLI's default: a config.toml may leave out [api] and [db] entirely.
  api: z
    .object({
      port: port.default(54321),
      schemas: z.array(z.string()).default(['public', 'graphql_public']),
      extra_search_path: z.array(z.string()).default(['public', 'extensions']),
      max_rows: z.number().int().positive().default(1000),
    })
    .prefault({}),
  db: z.object({ port: port.default(54322), major_version: z.number().int().default(15) }).prefault({}),
  db_seed: z.object({ enabled: z.boolean(), sql_paths: z.array(z.string()) }).optional(),
  auth: authSchema.prefault({}),
  /** `[storage]` and `[storage.buckets.<name>]`: upload limit and buckets created on start. */
  storage: storageConfigSchema.prefault({}),
  /** `[functions.<name>]`: the edge functions `/functions/v1` serves. */
  functions: z.record(z.string(), functionSchema).default({}),
});

export type ProjectConfig = z.infer<typeof configSchema>;

export function readConfig(path = join(supabaseDir(), 'config.toml')): ProjectConfig {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new StackError(`cannot read ${path}: ${(e as Error).message}`, 'fix the TOML syntax in supabase/config.toml');
  }
  const db = (raw.db ?? {}) as Record<string, unknown>;
  // The project folder holds supabase/config.toml; the CLI names a project without project_id after it.
  const projectId = raw.project_id === undefined || raw.project_id === '' ? basename(dirname(dirname(resolve(path)))) : raw.project_id;
  const parsed = configSchema.safeParse({ ...raw, project_id: projectId, db_seed: db.seed });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StackError(
      `invalid supabase/config.toml at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown error'}`,
      'correct that setting in supabase/config.toml',
    );
  }
  const config = parsed.data;
  // Relative to the folder of config.toml, as the Supabase CLI resolves it.
  if (config.auth.signing_keys_path) config.auth.signing_keys_path = resolve(dirname(path), config.auth.signing_keys_path);
  return config;
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
  /**
   * Rebuilt by every test run, so it trades durability for speed (fsync, synchronous_commit and
   * full_page_writes off; see instance/cluster.ts). Every instance but `dev`.
   */
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
