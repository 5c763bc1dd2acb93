// psql against an instance, over TCP with the local password; errors stop the script.
import { DB_PASSWORD, type Instance } from '../config.ts';
import { StackError } from '../errors.ts';
import { run } from './exec.ts';
import { PG_BINDIR } from './system-install.ts';

export interface PsqlTarget {
  user?: string;
  database?: string;
}

export function psqlArgs(inst: Instance, target: PsqlTarget = {}): string[] {
  return ['-h', '127.0.0.1', '-p', String(inst.dbPort), '-U', target.user ?? 'postgres', '-d', target.database ?? 'postgres'];
}

export const pgEnv = (): NodeJS.ProcessEnv => ({ ...process.env, PGPASSWORD: DB_PASSWORD, PGCONNECT_TIMEOUT: '10' });

/** Runs SQL (a file with `file`, or text with `sql`) and fails with the server's error line. */
export async function psql(
  inst: Instance,
  what: { file: string } | { sql: string },
  target: PsqlTarget & { singleTransaction?: boolean } = {},
): Promise<string> {
  const args = [...psqlArgs(inst, target), '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-A', '-t'];
  if (target.singleTransaction) args.push('--single-transaction');
  args.push(...('file' in what ? ['-f', what.file] : ['-c', what.sql]));
  const r = await run(`${PG_BINDIR}/psql`, args, { env: pgEnv(), timeoutMs: 10 * 60_000 });
  if (r.code !== 0) {
    const where = 'file' in what ? what.file : 'SQL';
    const error = r.stderr.split('\n').find((l) => /ERROR|FATAL/.test(l)) ?? r.stderr.trim();
    throw new StackError(`${where} failed: ${error.trim()}`, 'fix the statement named above');
  }
  return r.stdout.trim();
}
