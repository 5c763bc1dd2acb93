// Several statements in one round trip, over node-postgres's own client: each statement's Parse,
// Bind, Describe and Execute, then one Sync, written in one socket write (the extended protocol's
// pipelining). The server runs them in order and, at the first error, skips the rest up to the
// Sync, so a COMMIT written after a statement only runs when everything before it succeeded.
// node-postgres sends one statement per round trip; under load each write to the database cost
// the gateway more CPU than building the statement did (CPU profile, issue 13).
//
// A statement marked `prepare` is a named prepared statement of its connection, as PostgREST
// prepares its generated SQL by default (db-prepared-statements): parsed once per connection and
// SQL text, then only bound and executed, so the server skips parse analysis. Only parameterised
// SQL may be marked (its text is one of a bounded set of shapes; the values vary). PostgreSQL
// re-plans a prepared statement itself after DDL, a role or search_path change; a schema cache
// reload (`invalidatePreparedStatements`) also closes every connection's statements, and a
// statement the server refuses as stale (0A000 "cached plan must not change result type",
// 26000 "prepared statement does not exist") is forgotten, so the next request parses it anew.
import pg from 'pg';

export interface Statement {
  text: string;
  values: readonly unknown[];
  /** Run as a named prepared statement of the connection (parameterised SQL only). */
  prepare?: boolean;
}

/** pg's own conversion of a parameter to its text form (what `client.query(text, values)` sends). */
const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): string | Buffer | null } }).utils.prepareValue;

/** How many prepared statements a connection keeps (least recently used closed first). */
export const PREPARED_STATEMENTS_PER_CONNECTION = 256;

let generation = 0;

/** Forgets every connection's prepared statements (each closes them on its next use): after a schema reload. */
export function invalidatePreparedStatements(): void {
  generation++;
}

/** The prepared statements of one connection: SQL text → statement name, least recently used first. */
class StatementCache {
  readonly names = new Map<string, string>();
  /** Statements to close with the connection's next round trip. */
  readonly toClose: string[] = [];
  generation = generation;
  private counter = 0;

  /** Closes everything when a reload happened since this connection last prepared. */
  refresh(): void {
    if (this.generation === generation) return;
    this.generation = generation;
    this.toClose.push(...this.names.values());
    this.names.clear();
  }

  /** The name of `text` if prepared, marking it recently used. */
  lookup(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined) {
      this.names.delete(text);
      this.names.set(text, name);
    }
    return name;
  }

  newName(): string {
    return `ascend_stmt_${++this.counter}`;
  }

  add(text: string, name: string): void {
    // Two round trips built on one connection before either ended may both have prepared `text`:
    // keep the newer name and close the other.
    const previous = this.names.get(text);
    if (previous !== undefined && previous !== name) {
      this.names.delete(text);
      this.toClose.push(previous);
    }
    this.names.set(text, name);
    while (this.names.size > PREPARED_STATEMENTS_PER_CONNECTION) {
      const [oldest, oldName] = this.names.entries().next().value as [string, string];
      this.names.delete(oldest);
      this.toClose.push(oldName);
    }
  }

  forget(text: string): void {
    const name = this.names.get(text);
    if (name === undefined) return;
    this.names.delete(text);
    this.toClose.push(name);
  }
}

const caches = new WeakMap<pg.ClientBase, StatementCache>();

function cacheOf(client: pg.ClientBase): StatementCache {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new StatementCache()));
  cache.refresh();
  return cache;
}

/** How many statements `client` has prepared (for tests). */
export function preparedStatementCount(client: pg.ClientBase): number {
  return caches.get(client)?.names.size ?? 0;
}

interface Prepared {
  text: string;
  values: (string | Buffer | null)[];
  /** '' for the unnamed statement. */
  name: string;
  /** Parse it (a new or unnamed statement) or only bind the one already prepared. */
  parse: boolean;
}

/**
 * pg's Query already collects one result per command of a multi-statement simple query; only
 * what it writes differs. Text format, as pg's own extended queries. The values are converted
 * before anything is written, so writing cannot fail half-way.
 */
class Pipelined extends pg.Query {
  constructor(
    private readonly statements: readonly Prepared[],
    private readonly closing: readonly string[],
  ) {
    super(statements.map((s) => s.text).join(';\n'));
  }

  // A property in pg's types, so one here too.
  override submit = (connection: pg.Connection): void => {
    const stream = connection.stream as pg.Connection['stream'] & { cork?: () => void; uncork?: () => void };
    stream.cork?.();
    try {
      // Closing a statement that does not exist is no error (protocol), so a name whose Parse
      // may have failed can be closed blindly.
      for (const name of this.closing) connection.close({ type: 'S', name }, true);
      for (const s of this.statements) {
        if (s.parse) connection.parse({ text: s.text, name: s.name, types: [] }, true);
        connection.bind({ portal: '', statement: s.name, values: s.values } as pg.BindConfig, true);
        connection.describe({ type: 'P', name: '' }, true);
        connection.execute({ portal: '' }, true);
      }
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  };
}

/**
 * Errors that say a prepared statement no longer fits: forget it. 0A000 is the generic
 * feature_not_supported, so only its plan-cache message counts.
 */
const isStaleStatement = (e: Error & { code?: string }): boolean =>
  e.code === '26000' || (e.code === '0A000' && e.message.startsWith('cached plan must not change result type'));

/** Runs `statements` in one round trip; one result per statement, or the first error. */
export async function runPipelined(client: pg.ClientBase, statements: readonly Statement[]): Promise<pg.QueryResult[]> {
  const cache = statements.some((s) => s.prepare) ? cacheOf(client) : caches.get(client);
  const added: [string, string][] = [];
  const used: string[] = [];
  const prepared = statements.map((s): Prepared => {
    const values = s.values.map((v) => prepareValue(v));
    if (!s.prepare || !cache) return { text: s.text, values, name: '', parse: true };
    const known = cache.lookup(s.text) ?? added.find(([text]) => text === s.text)?.[1];
    if (known !== undefined) {
      used.push(s.text);
      return { text: s.text, values, name: known, parse: false };
    }
    const name = cache.newName();
    added.push([s.text, name]);
    return { text: s.text, values, name, parse: true };
  });
  const closing = cache ? cache.toClose.splice(0) : [];
  const query = new Pipelined(prepared, closing);
  const done = new Promise<pg.QueryResult[]>((resolve, reject) => {
    query.once('end', (results: pg.QueryResult | pg.QueryResult[]) => {
      for (const [text, name] of added) cache?.add(text, name);
      resolve(Array.isArray(results) ? results : [results]);
    });
    query.once('error', (e: Error & { code?: string }) => {
      // The new statements' Parse may or may not have run before the error: close them all.
      for (const [, name] of added) cache?.toClose.push(name);
      if (isStaleStatement(e)) for (const text of used) cache?.forget(text);
      reject(e);
    });
  });
  client.query(query);
  return done;
}
