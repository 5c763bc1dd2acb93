// Telling "the database is not there" apart from "the database said no". Every service answers
// the first with its own 503 shape (PostgREST PGRST000/PGRST001, GoTrue, Storage, Realtime) and
// recovers by itself once Postgres is back; the second keeps its usual mapping.

/** SQLSTATEs of a server that is going away or not accepting connections yet. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: also "terminating connection due to unexpected postmaster exit"
  '57P02', // crash_shutdown: another backend crashed
  '57P03', // cannot_connect_now: "the database system is starting up / shutting down / in recovery mode"
]);

/** Socket-level failures (node's `code`) of a connection that cannot be made or has died. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What node-postgres throws when the socket closes or broke under a query. */
const CLIENT_MESSAGES =
  /Connection terminated|not queryable|Client was closed|connection error|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|the database system is/i;

/**
 * Thrown where a request needs a connection and none can be had: connecting failed, or the
 * connection it had died under it (`phase` tells which, as PostgREST's PGRST000/PGRST001 do).
 */
export class DatabaseUnavailable extends Error {
  constructor(
    readonly phase: 'connect' | 'session',
    override readonly cause: unknown,
  ) {
    super(`database unavailable (${phase}): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseUnavailable';
  }
}

/** True when `e` says the database cannot be reached (as opposed to an error it reported). */
export function isConnectionFailure(e: unknown): boolean {
  if (e instanceof DatabaseUnavailable) return true;
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) return true;
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && CLIENT_MESSAGES.test(message) && !('severity' in e);
}

/**
 * `e` as a DatabaseUnavailable of `phase` when it is a connection failure, else `e` itself. In a
 * session, an error the server reported (57P01 under a query) stays a server error, as PostgREST
 * reports it with its own SQLSTATE; only the client-side loss of the connection is wrapped.
 */
export function asUnavailable(e: unknown, phase: 'connect' | 'session'): unknown {
  if (e instanceof DatabaseUnavailable || !isConnectionFailure(e)) return e;
  if (phase === 'session' && typeof e === 'object' && e !== null && 'severity' in e) return e;
  return new DatabaseUnavailable(phase, e);
}
