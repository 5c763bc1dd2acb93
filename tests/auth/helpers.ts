// Shared by the /auth/v1 conformance tests: clients as an app makes them, unique addresses, the
// local mail sink, raw calls where supabase-js has none, and an auth-only gateway with its own
// AUTH_* settings for what the stack's config does not exercise.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { MailMessage } from '../../stack/src/auth/mailsink.ts';
import { clientOptions } from '../support/client.ts';
import { env } from '../support/env.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Meets the project's policy (8+ characters, letters and digits). */
export const PASSWORD = 'Correct-horse-42';

/** A fresh client IP per test file, so per-IP rate limits of one suite never touch another. */
export function randomIp(): string {
  return `10.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.com`;
}

export interface Target {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
}

export const stackTarget: Target = { url: env.SUPABASE_URL, anonKey: env.ANON_KEY, serviceRoleKey: env.SERVICE_ROLE_KEY };

function client(key: string, ip: string, target: Target): SupabaseClient {
  return createClient(target.url, key, clientOptions({ global: { headers: { 'X-Forwarded-For': ip } } }));
}

export const anonClient = (ip: string, target: Target = stackTarget) => client(target.anonKey, ip, target);
export const adminClient = (ip: string, target: Target = stackTarget) => client(target.serviceRoleKey, ip, target);

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A request to /auth/v1 with the anon key, as curl would send it. */
export async function authFetch(
  path: string,
  init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; bearer?: string; ip?: string; target?: Target } = {},
): Promise<RawResponse> {
  const target = init.target ?? stackTarget;
  const headers: Record<string, string> = { apikey: target.anonKey, ...init.headers };
  if (init.ip) headers['X-Forwarded-For'] = init.ip;
  if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(`${target.url}/auth/v1${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** What `GET /mail/v1/messages` answers (with the service_role key): the sink's own message type. */
export type { MailMessage };

export async function mailbox(to: string, target: Target = stackTarget): Promise<MailMessage[]> {
  const res = await fetch(`${target.url}/mail/v1/messages?to=${encodeURIComponent(to)}`, { headers: { apikey: target.serviceRoleKey } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { messages: MailMessage[] };
  return body.messages;
}

/** The newest message to `to` (of `type`, when given); fails when there is none. */
export async function latestMail(to: string, type?: string, target: Target = stackTarget): Promise<MailMessage> {
  const messages = (await mailbox(to, target)).filter((m) => !type || m.type === type);
  assert.ok(messages[0], `no ${type ?? ''} email to ${to} in the mail sink`);
  return messages[0];
}

/** Follows an emailed link without following the redirect: the 303 and its Location. */
export async function clickLink(link: string): Promise<{ status: number; location: string }> {
  const res = await fetch(link, { redirect: 'manual' });
  await res.body?.cancel();
  return { status: res.status, location: res.headers.get('location') ?? '' };
}

/** The parameters of a redirect's fragment (`#access_token=…` or `#error=…`). */
export function fragmentParams(location: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(location.slice(location.indexOf('#') + 1)));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** JWT payload, unverified. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export interface AuthGateway extends Target {
  stop(): Promise<void>;
  log(): string;
}

/**
 * An auth-only gateway (stack/src/gateway/auth-only.ts), or with `main.ts` a whole second gateway,
 * on a free port against the test database, with the given AUTH_* overrides. The stack's own
 * gateway is untouched.
 */
export async function startAuthGateway(overrides: Record<string, string>, entry: 'auth-only.ts' | 'main.ts' = 'auth-only.ts'): Promise<AuthGateway> {
  const port = await freePort();
  const dbPort = new URL(env.DB_URL).port;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'stack', 'src', 'gateway', entry)], {
    cwd: projectRoot,
    env: {
      ...process.env,
      STACK_INSTANCE: process.env.STACK_INSTANCE ?? 'test',
      STACK_DB_PORT: dbPort,
      STACK_API_PORT: String(port),
      JWT_SECRET: env.JWT_SECRET,
      STACK_GATEWAY_SECONDARY: '1',
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the auth gateway exited: ${output}`);
    try {
      const r = await fetch(`${url}/health`);
      await r.body?.cancel();
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the auth gateway did not start: ${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    anonKey: env.ANON_KEY,
    serviceRoleKey: env.SERVICE_ROLE_KEY,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
