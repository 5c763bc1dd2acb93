// The REST service's one error catalog: PostgREST's error body `{code, details, hint, message}`,
// its PGRST codes with their fixed HTTP statuses, and the SQLSTATE → HTTP table (PostgREST's
// Error.hs `mapSQLtoHTTP`). Everything that fails in parse, plan, execution or respond ends up
// as a RestError, and only `errorResponse` turns it into HTTP.
import { DatabaseUnavailable, isConnectionFailure } from '../kit/db-errors.ts';

/** `details` is a string, except PGRST201's list of candidate relationships. */
export type ErrorDetails = string | null | Record<string, string>[];

export interface ErrorBody {
  code: string;
  details: ErrorDetails;
  hint: string | null;
  message: string;
}

export class RestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  readonly hint: string | null;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetails = null,
    hint: string | null = null,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
    this.headers = headers;
  }

  body(): ErrorBody {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** Factories, one per PGRST code we produce; each fixes the status and the message. */
export const Errors = {
  // PGRST0xx: connection
  connection: (details: string | null = null) => new RestError(503, 'PGRST000', 'Database connection error. Retrying the connection.', details),
  client: (details: string | null = null) => new RestError(503, 'PGRST001', 'Database client error. Retrying the connection.', details),
  noSchemaCache: () => new RestError(503, 'PGRST002', 'Could not query the database for the schema cache. Retrying.'),
  poolTimeout: () => new RestError(504, 'PGRST003', 'Timed out acquiring connection from connection pool.'),

  // PGRST1xx: the request
  queryParam: (message: string, details: string) => new RestError(400, 'PGRST100', message, details),
  invalidRpcMethod: (method: string) => new RestError(405, 'PGRST101', `Cannot use the ${method} method on RPC`),
  invalidBody: (message: string) => new RestError(400, 'PGRST102', message),
  negativeLimit: () => new RestError(416, 'PGRST103', 'Requested range not satisfiable', 'Limit should be greater than or equal to zero.'),
  lowerGtUpper: () =>
    new RestError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
    ),
  outOfBounds: (offset: number, total: number) =>
    new RestError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${offset} was requested, but there are only ${total} rows.`),
  invalidPutFilters: () => new RestError(405, 'PGRST105', "Filters must include all and only primary key columns with 'eq' operators"),
  unacceptableSchema: (schema: string, exposed: string[]) =>
    new RestError(406, 'PGRST106', `Invalid schema: ${schema}`, null, `Only the following schemas are exposed: ${exposed.join(', ')}`),
  mediaType: (mimes: string[]) => new RestError(406, 'PGRST107', `None of these media types are available: ${mimes.join(', ')}`),
  notEmbedded: (resource: string) =>
    new RestError(
      400,
      'PGRST108',
      `'${resource}' is not an embedded resource in this request`,
      null,
      `Verify that '${resource}' is included in the 'select' query parameter.`,
    ),
  gucHeaders: () =>
    new RestError(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value'),
  gucStatus: () => new RestError(500, 'PGRST112', 'response.status guc must be a valid status code'),
  putLimit: () => new RestError(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT'),
  putMatchingPk: () => new RestError(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)'),
  singular: (rows: number) =>
    new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`),
  unsupportedMethod: (method: string) => new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`),
  relatedOrderNotToOne: (origin: string, target: string) =>
    new RestError(
      400,
      'PGRST118',
      `A related order on '${target}' is not possible`,
      `'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship`,
    ),
  /** PostgREST 12 (hosted); v13 added to-many spreads. */
  invalidPreferences: (prefs: string[]) =>
    new RestError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefs.join(', ')}`),
  aggregatesNotAllowed: () => new RestError(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  maxAffected: (rows: number) =>
    new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${rows} rows`),
  invalidPath: () => new RestError(404, 'PGRST125', 'Invalid path specified in request URL'),
  notImplemented: (details: string) => new RestError(400, 'PGRST127', 'Feature not implemented', details),
  maxAffectedRpc: () =>
    new RestError(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'),
  /** Not a PostgREST code (it has no body limit); the gateway's 413 in PostgREST's shape. */
  payloadTooLarge: (limit: number) =>
    new RestError(413, 'PGRST413', 'Payload Too Large', `The request body is larger than the limit of ${limit} bytes`),

  // PGRST2xx: the schema cache
  noRelationship: (parent: string, child: string, hint: string | null, schema: string, suggestion: string | null) =>
    new RestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent}' and '${child}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent}' and '${child}${hint === null ? '' : `' using the hint '${hint}`}' in the schema '${schema}', but no matches were found.`,
      suggestion,
    ),
  ambiguousRelationship: (parent: string, child: string, details: Record<string, string>[], hint: string) =>
    new RestError(300, 'PGRST201', `Could not embed because more than one relationship was found for '${parent}' and '${child}'`, details, hint),
  noFunction: (message: string, details: string, hint: string | null) => new RestError(404, 'PGRST202', message, details, hint),
  ambiguousFunction: (signatures: string[]) =>
    new RestError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${signatures.join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    ),
  columnNotFound: (table: string, column: string) =>
    new RestError(400, 'PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`),
  tableNotFound: (schema: string, table: string, suggestion: string | null) =>
    new RestError(
      404,
      'PGRST205',
      `Could not find the table '${schema}.${table}' in the schema cache`,
      null,
      suggestion === null ? null : `Perhaps you meant the table '${schema}.${suggestion}'`,
    ),

  // Errors PostgreSQL itself would raise for the SQL PostgREST would have sent; we refuse before
  // sending, because only identifiers found in the schema cache ever reach the database.
  undefinedColumn: (relation: string, column: string) => new RestError(400, '42703', `column ${relation}.${column} does not exist`),
  undefinedType: (type: string) => new RestError(400, '42704', `type "${type}" does not exist`),
  /** pg-safeupdate, preloaded for `authenticator` on hosted Supabase. */
  safeUpdate: (command: 'UPDATE' | 'DELETE') => new RestError(400, '21000', `${command} requires a WHERE clause`),

  internal: () => new RestError(500, 'PGRSTX00', 'Internal server error'),
};

/** The JWT failures, as PostgREST words them (PGRST301 undecodable, PGRST303 bad claims). */
export function jwtError(token: string | undefined, reason: 'expired' | 'invalid'): RestError {
  let message: string;
  let code = 'PGRST301';
  if (token === undefined || token === '') {
    message = 'Empty JWT is sent in Authorization header';
  } else if (reason === 'expired') {
    code = 'PGRST303';
    message = 'JWT expired';
  } else {
    const parts = token.split('.');
    if (parts.length !== 3) {
      message = `Expected 3 parts in JWT; got ${parts.length}`;
    } else {
      let alg: unknown;
      try {
        alg = (JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown }).alg;
      } catch {
        alg = undefined;
      }
      message = alg === 'HS256' ? 'JWT cryptographic operation failed' : alg === undefined ? "JWT couldn't be decoded" : 'Wrong or unsupported encoding algorithm';
    }
  }
  return new RestError(401, code, message, null, null, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
  });
}

/** What a database error carries (node-postgres' DatabaseError, duck-typed). */
export interface PgErrorLike {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function isPgError(e: unknown): e is PgErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && 'severity' in e;
}

/** PostgREST's SQLSTATE → HTTP status (Error.hs mapSQLtoHTTP); `authed` = role is not the anon role. */
export function statusForSqlState(code: string, message: string, authed: boolean): number {
  if (code.startsWith('08')) return 503;
  if (code.startsWith('09')) return 500;
  if (code.startsWith('0L') || code.startsWith('0P')) return 403;
  switch (code) {
    case '23503':
    case '23505':
      return 409;
    case '25006':
      return 405;
    case '21000':
      return message.endsWith('requires a WHERE clause') ? 400 : 500;
    case '22023':
      return message.startsWith('role') && message.endsWith('does not exist') ? 401 : 400;
    case '53400':
      return 500;
    case '57P01':
      return 503;
    case 'P0001':
      return 400;
    case '42883':
      return message.startsWith('function xmlagg(') ? 406 : 404;
    case '42P01':
      return 404;
    case '42P17':
      return 500;
    case '42501':
      return authed ? 403 : 401;
    default:
      break;
  }
  const two = code.slice(0, 2);
  if (['25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'XX'].includes(two)) return 500;
  if (two === '28') return 403;
  if (two === '53') return 503;
  if (two === 'P0') return 500;
  if (two === 'PT') {
    const n = Number(code.slice(2));
    return Number.isInteger(n) && n >= 100 && n <= 599 ? n : 500;
  }
  return 400;
}

interface RaisedPgrst {
  code: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

/** `raise sqlstate 'PGRST' using message = '{json}', detail = '{json}'`: full response control. */
function fromRaisePgrst(e: PgErrorLike): RestError {
  let body: RaisedPgrst;
  try {
    const parsed = JSON.parse(e.message) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    const o = parsed as Record<string, unknown>;
    if (typeof o.code !== 'string' || typeof o.message !== 'string') throw new Error('missing keys');
    body = { code: o.code, message: o.message, details: typeof o.details === 'string' ? o.details : null, hint: typeof o.hint === 'string' ? o.hint : null };
  } catch {
    return new RestError(
      500,
      'PGRST121',
      `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      `Invalid JSON value for MESSAGE: '${e.message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    );
  }
  if (e.detail === undefined) {
    return new RestError(
      500,
      'PGRST121',
      `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      'DETAIL is missing in the RAISE statement',
      "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    );
  }
  try {
    const d = JSON.parse(e.detail) as Record<string, unknown>;
    const status = d.status;
    const headers = d.headers;
    if (typeof status !== 'number' || typeof headers !== 'object' || headers === null) throw new Error('bad detail');
    const hdrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (typeof v === 'string') hdrs[k] = v;
    return new RestError(status, body.code, body.message, body.details ?? null, body.hint ?? null, hdrs);
  } catch {
    return new RestError(
      500,
      'PGRST121',
      `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
      `Invalid JSON value for DETAIL: '${e.detail}'`,
      "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    );
  }
}

/** A database error as the REST response PostgREST gives for it. */
export function fromPgError(e: PgErrorLike, authed: boolean): RestError {
  const code = e.code ?? 'XX000';
  if (code === 'PGRST') return fromRaisePgrst(e);
  const status = statusForSqlState(code, e.message, authed);
  return new RestError(status, code, e.message, e.detail ?? null, e.hint ?? null, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
}

/** pg-pool's message when no connection came within the acquisition timeout. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;

/** Anything thrown while serving a request, as a RestError (connection failures → PGRST000/001/003). */
export function toRestError(e: unknown, authed: boolean): RestError {
  if (e instanceof RestError) return e;
  if (e instanceof DatabaseUnavailable) {
    // hasql's ConnectionUsageError (no connection could be had) and ClientError (it died).
    const cause = e.cause instanceof Error ? e.cause.message : String(e.cause);
    if (POOL_TIMEOUT.test(cause)) return Errors.poolTimeout();
    return e.phase === 'connect' ? Errors.connection(cause) : Errors.client(cause);
  }
  if (isPgError(e)) return fromPgError(e, authed);
  const message = e instanceof Error ? e.message : String(e);
  if (POOL_TIMEOUT.test(message)) return Errors.poolTimeout();
  if (isConnectionFailure(e)) return Errors.connection(message);
  return Errors.internal();
}

export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP form of an error, with PostgREST's Proxy-Status header. */
export function errorResponse(err: RestError): HttpError {
  return {
    status: err.status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Proxy-Status': `PostgREST; error=${err.code}`,
      ...err.headers,
    },
    body: JSON.stringify(err.body()),
  };
}
