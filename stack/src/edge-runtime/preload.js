// @ts-check
// Runs in each function's Deno process before its entrypoint (`deno run --preload`). It plays the
// part of Supabase's edge runtime around the function: the function's `Deno.serve` listens where
// the gateway expects (loopback, a free port, announced on stdout), an exception in the handler
// answers WORKER_ERROR, `EdgeRuntime.waitUntil` exists, and the process ends when the gateway does.
// JavaScript, not TypeScript, so the gateway's tsc leaves it alone; `deno check` checks it.

const NONCE_VAR = 'ASCEND_FUNCTION_READY';
const nonce = Deno.env.get(NONCE_VAR);
Deno.env.delete(NONCE_VAR);

/** @param {unknown} error */
function workerError(error) {
  console.error(error);
  return Response.json(
    { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' },
    { status: 500 },
  );
}

const serve = Deno.serve.bind(Deno);
let serving = false;

/**
 * `Deno.serve(handler)`, `Deno.serve(options, handler)` or `Deno.serve({ ...options, handler })`,
 * bound to 127.0.0.1 on a port the system picks, whatever the function asked for.
 * @param {any[]} args
 */
function serveForGateway(...args) {
  /** @type {any} */
  let options;
  /** @type {any} */
  let handler;
  if (typeof args[0] === 'function') [handler, options] = [args[0], args[1] ?? {}];
  else if (typeof args[1] === 'function') [options, handler] = [args[0] ?? {}, args[1]];
  else [options, handler] = [args[0] ?? {}, args[0]?.handler];
  if (typeof handler !== 'function') throw new TypeError('Deno.serve needs a handler function');
  if (serving) throw new Error('Deno.serve was called twice: an edge function serves one handler');
  serving = true;
  const { onListen, cert: _cert, key: _key, path: _path, transport: _transport, handler: _handler, ...rest } = options;
  return serve(
    {
      ...rest,
      hostname: '127.0.0.1',
      port: 0,
      onError: rest.onError ?? workerError,
      /** @param {Deno.NetAddr} addr */
      onListen(addr) {
        Deno.stdout.writeSync(new TextEncoder().encode(`\n__ascend_function_ready__ ${nonce} ${addr.port}\n`));
        if (typeof onListen === 'function') onListen(addr);
      },
    },
    handler,
  );
}
Deno.serve = /** @type {typeof Deno.serve} */ (serveForGateway);

// Supabase's runtime global for background work after the response (`EdgeRuntime.waitUntil`).
/** @type {any} */ (globalThis).EdgeRuntime ??= {
  /** @param {Promise<unknown>} promise */
  waitUntil(promise) {
    Promise.resolve(promise).catch((e) => console.error(e));
  },
};

// The gateway starts every function process; when the gateway is gone (even killed), so is this.
const parent = Deno.ppid;
const watchdog = setInterval(() => {
  if (Deno.ppid !== parent) Deno.exit(0);
}, 500);
Deno.unrefTimer(watchdog);
