// Every npm entry point installs the npm dependencies before it needs them (scripts/ensure-deps.mjs),
// so a fresh clone works with any of them first: `npm start`, `npm test`, `npm run stack -- …`,
// `npm run bench -- …`, `npm run typecheck`, `npm run upstream -- …`. Checked through npm itself, in copies of the
// project's scripts whose ensure-deps only records that it ran; nothing else is installed there,
// so each command then fails: what matters is that ensure-deps ran first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll as after, test } from 'vitest';
import { projectRoot } from '../src/config.ts';

const root = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const base = mkdtempSync(join(tmpdir(), 'entry-points-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** A project with the root's scripts, in its own directory; returns the ensure-deps log path. */
function project(name: string): { dir: string; log: string } {
  const dir = join(base, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `entry-${name}`, private: true, type: 'module', scripts: root.scripts }));
  writeFileSync(
    join(dir, 'scripts', 'ensure-deps.mjs'),
    "import { appendFileSync } from 'node:fs';\nappendFileSync(new URL('../ensure-deps.log', import.meta.url), `${process.env.npm_lifecycle_event}\\n`);\n",
  );
  return { dir, log: join(dir, 'ensure-deps.log') };
}

function npm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(stderr);
    });
  });
}

const COMMANDS: string[][] = [['start'], ['test'], ['run', 'stack', '--', 'status'], ['run', 'bench', '--', 'rest'], ['run', 'typecheck'], ['run', 'upstream', '--', 'storage-js']];

test('every npm entry point runs ensure-deps before anything else', async () => {
  const runs = await Promise.all(
    COMMANDS.map(async (args, i) => {
      const { dir, log } = project(String(i));
      const stderr = await npm(args, dir);
      return { command: `npm ${args.join(' ')}`, ran: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [], stderr };
    }),
  );
  for (const r of runs) assert.ok(r.ran.length > 0, `ensure-deps did not run for ${r.command}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
});
