// End-to-end harness: the production build of the app served by adapter-node on a free port,
// against the running test instance of the stack, driven in Debian's chromium by playwright-core.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(WEB, 'test-results', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const env = {
  apiUrl: process.env.API_URL ?? process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321',
  anonKey: process.env.ANON_KEY ?? '',
  serviceKey: process.env.SERVICE_ROLE_KEY ?? '',
};

/** The inputs of the build; unchanged inputs reuse the last build (saves ~20 s on a re-run). */
function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(WEB, p)).update(readFileSync(p));
    }
  };
  walk(join(WEB, 'src'));
  walk(join(WEB, 'static'));
  for (const f of ['svelte.config.js', 'vite.config.ts', 'package.json']) h.update(readFileSync(join(WEB, f)));
  return h.digest('hex');
}

export function ensureBuild(): void {
  const stamp = join(WEB, 'build', '.source-hash');
  const hash = sourceHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  const r = spawnSync(join(WEB, '..', 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], {
    cwd: WEB,
    encoding: 'utf8',
    env: { ...process.env, ASCEND_E2E_BUILD: '1' },
  });
  if (r.status !== 0) throw new Error(`vite build failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-8).join(' | ')}`);
  writeFileSync(stamp, hash);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface App {
  url: string;
  stop(): Promise<void>;
}

/** Serves web/build on a free port (WEB_E2E_PORT to pin one) and waits until it answers. */
export async function startApp(): Promise<App> {
  const port = Number(process.env.WEB_E2E_PORT) || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(WEB, 'build', 'index.js')], {
    cwd: WEB,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, PUBLIC_SUPABASE_URL: env.apiUrl, PUBLIC_SUPABASE_ANON_KEY: env.anonKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web app exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      const res = await fetch(`${url}/login`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the web app did not answer on ${url}: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: npm test installs it as root, or run: sudo apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Empties the screenshot folder, so it holds this run's screenshots only. */
export function resetArtifacts(): void {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** Saves a screenshot (the viewport, or the whole page) under web/test-results/e2e/<name>.png. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? false, animations: 'disabled' });
  return path;
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Resolves once the page's finite animations and transitions have ended (at most 3 s). */
async function settled(page: Page): Promise<void> {
  // Skeleton pulses loop forever: skip them.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), undefined, { timeout: 3000 })
    .catch(() => undefined);
}

/**
 * axe-core in the page: the serious and critical violations (WCAG 2.x A/AA and best practice).
 *
 * A toast or dialog mid-fade is half transparent, and axe measures its contrast as it is in that
 * frame, so axe runs once the page has settled. A live toast can still mount between that wait and
 * axe's start, or time out and fade away while axe runs (at half opacity a toast's
 * "Open" button fails contrast): when a finding lies in a toast and a toast was moving during the
 * run, the page is measured again once settled, and that run's findings stand. A toast that really
 * lacks contrast is found again at rest; nothing is ever filtered out.
 */
export async function axeSerious(page: Page): Promise<AxeFinding[]> {
  await settled(page);
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  await page.evaluate(axe.source);
  for (let run = 1; ; run++) {
    const { moved, findings } = await page.evaluate(async () => {
      const w = window as unknown as { axe: typeof axe };
      // In the toaster, or a toast already removed from it (its detached subtree's root is the toast).
      const inToast = (el: Element): boolean => {
        if (el.isConnected) return el.closest('[data-sonner-toaster]') !== null;
        let root = el;
        while (root.parentElement) root = root.parentElement;
        return root.matches('[data-sonner-toast]');
      };
      const toastMoving = () =>
        document.getAnimations().some((a) => a.playState === 'running' && a.effect instanceof KeyframeEffect && a.effect.target instanceof Element && inToast(a.effect.target));
      let moved = toastMoving();
      const onMotion = (e: Event) => {
        if (e.target instanceof Element && inToast(e.target)) moved = true;
      };
      const motions = ['transitionrun', 'animationstart'] as const;
      for (const type of motions) document.addEventListener(type, onMotion, true);
      let r: axe.AxeResults;
      try {
        r = await w.axe.run(document, { resultTypes: ['violations'], elementRef: true });
      } finally {
        for (const type of motions) document.removeEventListener(type, onMotion, true);
      }
      moved ||= toastMoving();
      return {
        moved,
        findings: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
          inToast: v.nodes.some((n) => n.element instanceof Element && inToast(n.element)),
        })),
      };
    });
    const serious = findings.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (run < 3 && moved && serious.some((v) => v.inToast)) {
      await settled(page);
      continue;
    }
    return serious.map(({ id, impact, help, targets }) => ({ id, impact, help, targets }));
  }
}

/** Fails the test with axe's serious or critical findings on the page, named by `where`. */
export async function noSeriousAxe(page: Page, where: string): Promise<void> {
  const findings = await axeSerious(page);
  assert.deepEqual(findings, [], `axe on ${where}: ${JSON.stringify(findings, null, 1)}`);
}

/** Calls a database function through /rest/v1/rpc as the holder of `token`; a non-2xx answer throws with its body. */
export async function rpc<T>(token: string, name: string, body: unknown): Promise<T> {
  const res = await fetch(`${env.apiUrl}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${name} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The newest email the local mail sink holds for an address (the sink may ask for the service key). */
export async function latestMail(to: string, type?: string, timeoutMs = 5000): Promise<{ action_link: string | null; subject: string; type: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${env.apiUrl}/mail/v1/messages?to=${encodeURIComponent(to)}`, {
      headers: env.serviceKey ? { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}` } : {},
    });
    if (res.ok) {
      const body = (await res.json()) as unknown;
      const list = (Array.isArray(body) ? body : ((body as { messages?: unknown[] }).messages ?? [])) as { action_link: string | null; subject: string; type: string }[];
      const found = list.find((m) => !type || m.type === type);
      if (found) return found;
    } else if (res.status !== 404) {
      throw new Error(`the mail sink answered ${res.status}: ${await res.text()}`);
    }
    if (Date.now() > deadline) throw new Error(`no ${type ?? ''} email for ${to} arrived`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Test-side knowledge of the answer keys (the learner "studied"), read with the service role. */
export async function answerKey(stems: string[]): Promise<Map<string, string>> {
  const headers = { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}` };
  const res = await fetch(`${env.apiUrl}/rest/v1/questions?select=stem,question_keys(correct_answer)&status=eq.published`, { headers });
  if (!res.ok) throw new Error(`could not read the answer keys: ${res.status} ${await res.text()}`);
  const rows = (await res.json()) as { stem: string; question_keys: { correct_answer: string } | { correct_answer: string }[] | null }[];
  const key = new Map<string, string>();
  for (const r of rows) {
    const k = Array.isArray(r.question_keys) ? r.question_keys[0] : r.question_keys;
    if (k && (stems.length === 0 || stems.includes(r.stem))) key.set(r.stem, k.correct_answer);
  }
  return key;
}

export type { Browser, BrowserContext, Page };

/** What pg_cron does every five minutes, now: rebuild the leaderboards and announce the change. */
export async function refreshLeaderboards(): Promise<void> {
  const res = await fetch(`${env.apiUrl}/rest/v1/rpc/refresh_leaderboards`, {
    method: 'POST',
    headers: { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`refresh_leaderboards answered ${res.status}: ${await res.text()}`);
}

/** A confirmed account made through the auth admin API (for a second person in a test). */
export async function createConfirmedUser(email: string, password: string, displayName: string): Promise<string> {
  const res = await fetch(`${env.apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, email_confirm: true, user_metadata: { display_name: displayName } }),
  });
  if (!res.ok) throw new Error(`could not create ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** An access token for a password account (for RPCs a test makes as that person). */
export async function accessTokenFor(email: string, password: string): Promise<string> {
  const res = await fetch(`${env.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: env.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`could not sign ${email} in: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Signs in through the login form on a new page of `ctx`, as a person does, and waits for /app. */
export async function signInPage(ctx: BrowserContext, email: string, password: string): Promise<Page> {
  const p = await ctx.newPage();
  await p.goto('/login');
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.waitForURL(/\/app$/);
  return p;
}
