// Installs the npm dependencies when they are missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone with no prior `npm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const upToDate =
  existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;

// `npm install`, not `npm ci`: npm leaves other platforms' optional packages (the Supabase CLI's
// and Deno's binaries) out of the lockfile, and `npm ci` then refuses it as out of sync.
if (!upToDate) {
  console.log('ensure-deps: running npm install');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`ensure-deps: npm install failed (exit ${r.status}); fix the error above and run it again`);
    process.exit(r.status ?? 1);
  }
}
