// The auth service's one way into Postgres: queries and transactions on the supabase_auth_admin
// pool (search_path auth), timestamps kept as Postgres wrote them (microseconds) and rendered as
// GoTrue renders Go times (RFC 3339, UTC, trailing zeros trimmed).
import pg from 'pg';
import { AuthError } from './errors.ts';

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;

/** Timestamps arrive as text, so no precision is lost to `Date`; everything else as pg parses it. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMPTZ || oid === TIMESTAMP
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export type Row = Record<string, unknown>;

/** Runs one statement; the only way handlers touch the database. */
export interface Query {
  <T extends Row = Row>(text: string, values?: unknown[]): Promise<T[]>;
}

function queryOn(client: pg.Pool | pg.PoolClient): Query {
  return async <T extends Row>(text: string, values: unknown[] = []) => {
    const result = await client.query<T>({ text, values, types });
    return result.rows;
  };
}

export class Db {
  readonly query: Query;

  constructor(private readonly pool: pg.Pool) {
    this.query = queryOn(pool);
  }

  /**
   * Runs `fn` in a transaction: commit when it returns, roll back when it throws, except for
   * an `AuthError` marked `committing()`, whose writes are kept before it is rethrown.
   */
  async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      let result: T;
      try {
        result = await fn(queryOn(client));
      } catch (e) {
        if (e instanceof AuthError && e.commit) await client.query('commit');
        else await client.query('rollback').catch(() => undefined);
        throw e;
      }
      await client.query('commit');
      return result;
    } finally {
      client.release();
    }
  }
}

/**
 * A Postgres timestamp as text (`2024-05-01 10:20:30.1234+02`, or without offset for
 * `timestamp`, read as UTC) → `2024-05-01T08:20:30.1234Z`, as Go's RFC3339Nano prints a UTC time.
 */
export function rfc3339(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const m = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?$/.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0'] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (sign) ms -= (sign === '+' ? 1 : -1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000;
  const iso = new Date(ms).toISOString().slice(0, 19);
  const fraction = frac.replace(/0+$/, '');
  return `${iso}${fraction ? `.${fraction}` : ''}Z`;
}

/** Milliseconds since the epoch of a Postgres timestamp text (sub-millisecond digits dropped). */
export function epochMs(value: unknown): number | null {
  const iso = rfc3339(value);
  if (!iso) return null;
  const ms = Date.parse(iso.replace(/(\.\d{3})\d+Z$/, '$1Z'));
  return Number.isNaN(ms) ? null : ms;
}

/** GoTrue writes the nil UUID into every `instance_id`. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** A UUID in its text form, as GoTrue checks ids in paths. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
