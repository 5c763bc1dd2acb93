// Runs the stack CLI as a developer would, on the test instance unless told otherwise.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function stackCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'stack', 'src', 'instance', 'cli.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, STACK_INSTANCE: process.env.STACK_INSTANCE ?? 'test', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
