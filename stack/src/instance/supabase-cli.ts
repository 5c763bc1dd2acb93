// The real Supabase CLI (npm package `supabase`), pointed at a stack instance by URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dbUrl, projectDir, projectRoot, type Instance } from '../config.ts';
import { StackError } from '../errors.ts';
import { run, type RunResult } from './exec.ts';

const BIN = join(projectRoot, 'node_modules', '.bin', 'supabase');
/** Generous, but a CLI waiting on something that never comes must not hang the stack. */
const CLI_TIMEOUT_MS = 5 * 60_000;

/** The database URL as the CLI wants it: no TLS on loopback. */
export const cliDbUrl = (inst: Instance): string => `${dbUrl(inst)}?sslmode=disable`;

/** Runs the CLI in `workdir`, the directory holding `supabase/` (the stack's project by default). */
export async function supabase(args: string[], workdir = projectDir()): Promise<RunResult> {
  if (!existsSync(BIN)) throw new StackError('the Supabase CLI is not installed', 'run npm install at the project root');
  return run(BIN, ['--workdir', workdir, ...args], { cwd: workdir, env: { ...process.env, SUPABASE_YES: '1' }, timeoutMs: CLI_TIMEOUT_MS });
}

/** The CLI's own error line, without its generic "rerun with --debug" advice. */
export function cliError(r: RunResult): string {
  const lines = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Try rerunning'));
  const err = lines.filter((l) => /error|failed|ERROR/i.test(l));
  return (err.length ? err.join(' | ') : lines.at(-1)) ?? `exit code ${r.code}`;
}
