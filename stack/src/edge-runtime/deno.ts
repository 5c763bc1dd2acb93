// Deno as the stack runs it: the binary of the npm package `deno`, one module cache under
// .supabase/deno, an environment that reaches the npm registry (registry, proxy and CA settings
// passed through, nothing else of ours), and the permissions Supabase's edge runtime grants.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../config.ts';

/** The deno executable: $DENO_BIN, else the npm package's binary, else `deno` on the PATH. */
export function denoBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DENO_BIN) return env.DENO_BIN;
  const require = createRequire(import.meta.url);
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  for (const pkg of ['deno', `@deno/${process.platform}-${process.arch}-glibc`, `@deno/${process.platform}-${process.arch}`]) {
    try {
      const candidate = join(dirname(require.resolve(`${pkg}/package.json`)), exe);
      if (existsSync(candidate)) return candidate;
    } catch {
      // not installed for this platform
    }
  }
  return 'deno';
}

/** Deno's module and npm cache, shared by every instance and by `deno test`; never committed. */
export function denoDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DENO_DIR ?? join(projectRoot, '.supabase', 'deno');
}

/** Variables Deno needs to fetch npm packages the way npm does on this machine. */
const PASS_THROUGH = [
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'DENO_CERT', 'DENO_TLS_CA_STORE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'TMPDIR',
  'NPM_CONFIG_REGISTRY', 'NPM_CONFIG_USERCONFIG',
];

/** The environment of a Deno process before the function's own variables: no secret of ours. */
export function denoEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { DENO_DIR: denoDir(source), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  for (const name of PASS_THROUGH) {
    const v = source[name];
    if (v) env[name] = v;
  }
  // npm scripts hand their children the registry as npm_config_registry; Deno reads the upper case.
  if (!env.NPM_CONFIG_REGISTRY && source.npm_config_registry) env.NPM_CONFIG_REGISTRY = source.npm_config_registry;
  return env;
}

/** What a function may do, as on Supabase: network, env, reading, system info, writing only to tmp. */
export function runtimePermissions(tmp: string = tmpdir()): string[] {
  return ['--no-prompt', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', `--allow-write=${tmp}`];
}

export interface DenoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs deno to completion with no standard input; rejects only when it cannot start. */
export function runDeno(bin: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<DenoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env ?? denoEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `deno --version`'s first line, or why deno cannot run. */
export async function denoVersion(bin: string = denoBinary()): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const r = await runDeno(bin, ['--version']);
    if (r.code !== 0) return { ok: false, reason: `${bin} --version exited ${r.code}: ${r.stderr.trim()}` };
    return { ok: true, version: r.stdout.split('\n')[0]?.trim() ?? '' };
  } catch (e) {
    return { ok: false, reason: `cannot run ${bin}: ${(e as Error).message}` };
  }
}
