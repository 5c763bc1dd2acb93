// The gateway as a background process of an instance: pid file, log file, health wait.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiUrl, projectRoot, type Instance } from '../config.ts';
import { StackError } from '../errors.ts';
import { ensurePortFree } from './cluster.ts';

const pidFile = (inst: Instance) => join(inst.dir, 'gateway.pid');
export const gatewayLog = (inst: Instance) => join(inst.dir, 'gateway.log');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function gatewayPid(inst: Instance): number | undefined {
  if (!existsSync(pidFile(inst))) return undefined;
  const pid = Number(readFileSync(pidFile(inst), 'utf8'));
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

async function healthy(inst: Instance): Promise<boolean> {
  try {
    const r = await fetch(`${apiUrl(inst)}/health`, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return r.status < 500 || r.status === 503;
  } catch {
    return false;
  }
}

/** Starts the gateway in the background and returns when it answers `/health`. */
export async function startGateway(inst: Instance): Promise<'started' | 'already running'> {
  if (gatewayPid(inst)) return 'already running';
  await ensurePortFree(inst.apiPort, '[api] port in supabase/config.toml (or STACK_API_PORT)');
  const out = openSync(gatewayLog(inst), 'a');
  // STACK_GATEWAY_CPU_PROF=<dir>: a V8 CPU profile of the gateway, written there when it stops.
  const profile = process.env.STACK_GATEWAY_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STACK_GATEWAY_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(projectRoot, 'stack', 'src', 'gateway', 'main.ts')], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      STACK_INSTANCE: inst.name,
      STACK_DB_PORT: String(inst.dbPort),
      STACK_API_PORT: String(inst.apiPort),
      JWT_SECRET: inst.jwtSecret,
    },
  });
  closeSync(out);
  child.unref();
  writeFileSync(pidFile(inst), String(child.pid));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await healthy(inst)) return 'started';
    if (child.pid && !alive(child.pid)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = readFileSync(gatewayLog(inst), 'utf8').trim().split('\n').slice(-3).join(' | ');
  await stopGateway(inst);
  throw new StackError(`the gateway did not start: ${tail}`, `read ${gatewayLog(inst)}`);
}

export async function stopGateway(inst: Instance): Promise<'stopped' | 'not running'> {
  const pid = gatewayPid(inst);
  rmSync(pidFile(inst), { force: true });
  if (!pid) return 'not running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return 'stopped';
}
