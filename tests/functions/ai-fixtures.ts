// Shared by the AI function suites: real users (GoTrue admin API, profiles by the sign-up
// trigger) in an organisation, the fake OpenAI-compatible provider started in this process, and
// the instance's own functions.env pointing the functions at it (the gateway restarts a function
// when that file changes). Nothing here replaces one of our services.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startFakeProvider, type FakeChatRequest, type FakeProvider } from '../../functions/_shared/ai/fake_provider.ts';
import { instance } from '../../stack/src/config.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

export const FN = `${env.SUPABASE_URL}/functions/v1`;

export interface User {
  id: string;
  email: string;
  token: string;
}

export async function createUser(tag: string, claims: Record<string, unknown> = {}): Promise<User> {
  const service = testClient(env.SERVICE_ROLE_KEY);
  const email = `${tag}-${randomUUID().slice(0, 8)}@example.test`;
  const { data, error } = await service.auth.admin.createUser({ email, password: `pw-${randomUUID()}`, email_confirm: true });
  assert.equal(error, null);
  const id = data.user!.id;
  return { id, email, token: await accessToken({ sub: id, email, ...claims }) };
}

export const asUser = (u: User) => testClient(env.ANON_KEY, u.token);

/** An organisation owned by `owner`, with `learners` as learner members (invited, and accepting). */
export async function createOrganization(owner: User, learners: User[]): Promise<string> {
  const db = asUser(owner);
  const slug = `ai-${randomUUID().slice(0, 8)}`;
  const { data, error } = await db.rpc('create_organization', { p_name: `AI ${slug}`, p_slug: slug });
  assert.equal(error, null, error?.message);
  const org = (data as { id: string }).id;
  for (const l of learners) {
    const invited = await db.rpc('invite_to_organization', { p_organization: org, p_email: l.email, p_role: 'learner' });
    assert.equal(invited.error, null, invited.error?.message);
    const invitation = (invited.data as { invitation_id: string }).invitation_id;
    const accepted = await asUser(l).rpc('accept_invitation', { p_invitation: invitation });
    assert.equal(accepted.error, null, accepted.error?.message);
  }
  return org;
}

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: env.DB_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A call to a function as `user` (or with a raw token), JSON in, the raw Response out. */
export function call(name: string, path: string, user: User | null, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = { apikey: env.ANON_KEY, Authorization: `Bearer ${user ? user.token : env.ANON_KEY}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${FN}/${name}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
}

export async function callJson(name: string, path: string, user: User | null, init: { method?: string; body?: unknown } = {}) {
  const res = await call(name, path, user, init);
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${name}${path}: ${res.status} ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

export interface SseEvent {
  type: string;
  [key: string]: unknown;
}

/** Reads SSE `data:` events of our functions until the stream ends (or `stopAfter` says stop). */
export async function readEvents(res: Response, stopAfter?: (e: SseEvent) => boolean): Promise<SseEvent[]> {
  assert.ok(res.body);
  const events: SseEvent[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (!data) continue;
      const e = JSON.parse(data) as SseEvent;
      events.push(e);
      if (stopAfter?.(e)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}

// ---------------------------------------------------------------------------
// The fake provider, and pointing the functions at it
// ---------------------------------------------------------------------------

function instanceEnvFile(): string {
  return join(instance(process.env.STACK_INSTANCE ?? 'test').dir, 'functions.env');
}

/** The functions of this instance use `vars` (over functions/.env) from their next request on. */
export function setFunctionSecrets(vars: Record<string, string>): void {
  writeFileSync(instanceEnvFile(), Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
}

export function clearFunctionSecrets(): void {
  rmSync(instanceEnvFile(), { force: true });
}

/** Offline: AI_API_KEY empty, whatever functions/.env says. */
export function useOfflineAi(): void {
  setFunctionSecrets({ AI_API_KEY: '' });
}

export async function useFakeAi(options: Parameters<typeof startFakeProvider>[0] = {}): Promise<FakeProvider> {
  const fake = await startFakeProvider({ respond: fakeResponder, ...options });
  setFunctionSecrets({ AI_BASE_URL: fake.url, AI_API_KEY: fake.apiKey, AI_MODEL: 'fake-model', AI_TIMEOUT_MS: '5000' });
  return fake;
}

export const CUSTOMER_LINE = 'Hmm, your price is higher than I expected. Why should I pay more here?';

/** The fake model's answers for what our functions ask. */
export function fakeResponder(req: FakeChatRequest): string {
  const schema = req.response_format?.json_schema?.name;
  const user = req.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  if (schema === 'training_report') {
    const said = [...user.matchAll(/^\[SALESPERSON\] (.*)$/gm)].map((m) => m[1]!);
    const quote = (said[0] ?? '').split(/[.?!]/)[0]!.trim();
    return JSON.stringify({
      summary: 'A calm conversation; the close came late.',
      criteria: ['rapport', 'discovery', 'solution', 'objection_handling', 'closing', 'communication'].map((key, i) => ({
        key,
        score: i === 4 ? 2 : 4,
        evidence: i === 4 ? [{ quote: 'I will give you half price' }] : quote ? [{ quote }] : [],
        comment: `Comment on ${key}.`,
      })),
      strengths: ['Friendly opening'],
      improvements: ['Ask for the appointment earlier'],
    });
  }
  if (schema === 'study_plan') {
    return JSON.stringify({
      summary: 'Two days on your weakest domain.',
      steps: [
        { day: 1, domain_code: '1.0', title: 'Review 1.0', action: 'Take a 10-question quiz on 1.0.', minutes: 30 },
        { day: 2, domain_code: '9.9', title: 'Invented domain', action: 'Should lose its code.', minutes: 20 },
      ],
    });
  }
  if (schema === 'practice_questions') {
    const q = (n: number) => ({
      stem: `Which control best protects data at rest (fake question ${n})?`,
      options: { A: 'Encryption', B: 'A banner', C: 'A fence', D: 'Logging' },
      correct_answer: 'A',
      explanations: { A: 'Encryption protects stored data.', B: 'Banners deter.', C: 'Fences are physical.', D: 'Logging detects.' },
    });
    return JSON.stringify({ questions: [q(1), q(2)] });
  }
  if (req.messages[0]?.content.startsWith('You are a patient tutor')) return 'Fake tutor: HTTPS is right because TLS encrypts.';
  return CUSTOMER_LINE;
}
