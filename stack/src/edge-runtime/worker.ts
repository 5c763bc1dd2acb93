// One function's Deno process: started on demand, ready when its `Deno.serve` announces its port,
// counted in-flight requests so a reload can retire it without cutting a response, and killed
// (TERM, then KILL) when the gateway closes. Its output goes to the gateway log, line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { importMapFlag, type FunctionDefinition } from './definitions.ts';
import { runtimePermissions } from './deno.ts';

export const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'preload.js');
const READY = /^__ascend_function_ready__ (\S+) (\d+)$/;
/** Supabase's memory limit for a function (MB of V8 heap). */
export const MEMORY_LIMIT_MB = 256;
const KILL_GRACE_MS = 2000;
const OUTPUT_TAIL = 40;

export class BootError extends Error {
  constructor(
    message: string,
    /** The process's last lines of output, for the log. */
    readonly output: string[],
  ) {
    super(message);
  }
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether V8 ran out of its heap limit (a resource limit, not a bug in the gateway). */
  outOfMemory: boolean;
  /** Whether the gateway asked it to stop. */
  stopped: boolean;
}

export interface WorkerOptions {
  def: FunctionDefinition;
  bin: string;
  /** The complete environment of the process. */
  env: Record<string, string>;
  bootTimeoutMs: number;
  log: (record: Record<string, unknown>) => void;
}

export class FunctionWorker {
  readonly def: FunctionDefinition;
  /** The port its server listens on, once booted; rejects with a BootError. */
  readonly ready: Promise<number>;
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private inflight = 0;
  private retired = false;
  private stopping = false;
  private done = false;

  constructor(private readonly opts: WorkerOptions) {
    this.def = opts.def;
    const nonce = randomBytes(12).toString('hex');
    const args = [
      'run',
      ...runtimePermissions(),
      ...importMapFlag(opts.def.importMap),
      `--v8-flags=--max-old-space-size=${MEMORY_LIMIT_MB}`,
      '--preload',
      PRELOAD,
      opts.def.entrypoint,
    ];
    this.child = spawn(opts.bin, args, {
      cwd: dirname(opts.def.entrypoint),
      env: { ...opts.env, ASCEND_FUNCTION_READY: nonce },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let markReady: (port: number) => void = () => undefined;
    let failBoot: (e: BootError) => void = () => undefined;
    this.ready = new Promise<number>((res, rej) => {
      markReady = res;
      failBoot = rej;
    });
    // A boot failure is reported to whoever awaits `ready`; never an unhandled rejection.
    this.ready.catch(() => undefined);
    let booted = false;
    const bootTimer = setTimeout(() => {
      failBoot(new BootError(`did not call Deno.serve within ${opts.bootTimeoutMs} ms`, this.tail()));
      void this.stop();
    }, opts.bootTimeoutMs);
    bootTimer.unref();

    const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') =>
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        const ready = name === 'stdout' ? READY.exec(line) : null;
        if (ready && ready[1] === nonce) {
          booted = true;
          clearTimeout(bootTimer);
          markReady(Number(ready[2]));
          return;
        }
        if (line === '' && name === 'stdout') return;
        this.output.push(line);
        if (this.output.length > OUTPUT_TAIL) this.output.shift();
        opts.log({ level: name === 'stderr' ? 'warn' : 'info', msg: 'function output', function: opts.def.name, stream: name, line: line.slice(0, 4000) });
      });
    if (this.child.stdout) lines(this.child.stdout, 'stdout');
    if (this.child.stderr) lines(this.child.stderr, 'stderr');

    this.exited = new Promise<ExitInfo>((res) => {
      this.child.on('error', (e) => {
        clearTimeout(bootTimer);
        failBoot(new BootError(`cannot start ${opts.bin}: ${e.message}`, []));
        this.done = true;
        res({ code: null, signal: null, outOfMemory: false, stopped: this.stopping });
      });
      this.child.on('exit', (code, signal) => {
        clearTimeout(bootTimer);
        this.done = true;
        // Let the last lines of output arrive before judging why it ended.
        setImmediate(() => {
          const info: ExitInfo = {
            code,
            signal,
            outOfMemory: this.output.some((l) => /out of memory|heap limit/i.test(l)),
            stopped: this.stopping,
          };
          if (!booted) failBoot(new BootError(`exited (${signal ?? `code ${code}`}) before calling Deno.serve`, this.tail()));
          res(info);
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Running and not retired: new requests may go to it. */
  get usable(): boolean {
    return !this.done && !this.retired && !this.stopping;
  }

  tail(): string[] {
    return [...this.output];
  }

  /** A request starts; call `release` when its response has ended. */
  acquire(): void {
    this.inflight++;
  }

  release(): void {
    this.inflight = Math.max(0, this.inflight - 1);
    if (this.retired && this.inflight === 0) void this.stop();
  }

  /** No new requests; stop once the ones in flight end, or after `graceMs` at the latest. */
  retire(graceMs: number): void {
    if (this.retired) return;
    this.retired = true;
    if (this.inflight === 0) void this.stop();
    else setTimeout(() => void this.stop(), graceMs).unref();
  }

  /** TERM, then KILL after a grace period; resolves when the process is gone. */
  async stop(): Promise<ExitInfo> {
    if (!this.done && !this.stopping) {
      this.stopping = true;
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), KILL_GRACE_MS);
      timer.unref();
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** Immediate and synchronous, for the gateway's `exit` handler. */
  killNow(): void {
    if (!this.done) this.child.kill('SIGKILL');
  }
}
