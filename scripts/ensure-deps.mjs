// Installs the npm dependencies when they are missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone with no prior `npm install`. Before `npm test`
// it also installs Debian's chromium (the browser the web app's end-to-end tests drive through
// playwright-core) when it is missing and we are root, as the stack installs PostgreSQL.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const upToDate =
  existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;

// `npm ci`: exactly what the committed lockfile says, which it never rewrites, so a fresh clone's
// `npm start` or `npm test` leaves `git status` clean. The lockfile lists every platform's optional
// binaries (the Supabase CLI's, Deno's, esbuild's, sharp's); whoever changes a dependency runs
// `npm install` and commits the lockfile it writes.
if (!upToDate) {
  console.log('ensure-deps: installing the locked dependencies (npm ci)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      `ensure-deps: npm ci failed (exit ${r.status}); if a package.json changed, run npm install and commit package-lock.json`,
    );
    process.exit(r.status ?? 1);
  }
}

// The end-to-end tests' browser: only `npm test` needs it.
const CHROMIUM = '/usr/bin/chromium';
if (process.env.npm_lifecycle_event === 'pretest' && !existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    console.error('ensure-deps: chromium is missing (the web end-to-end tests need it): sudo apt-get install -y chromium');
  } else {
    console.log('ensure-deps: installing chromium for the end-to-end tests');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) => spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] }).status;
    if (apt(['update', '-qq']) !== 0 || apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']) !== 0) {
      console.error('ensure-deps: apt-get install chromium failed; install it by hand: apt-get install -y chromium');
    }
  }
}
