// Several statements in one round trip, over node-postgres's own client: each statement's Parse,
// Bind, Describe and Execute, then one Sync, written in one socket write (the extended protocol's
// pipelining). The server runs them in order and, at the first error, skips the rest up to the
// Sync, so a COMMIT written after a statement only runs when everything before it succeeded.
// node-postgres sends one statement per round trip; under load each write to the database cost
// the gateway more CPU than building the statement did (CPU profile, issue 13).
import pg from 'pg';

export interface Statement {
  text: string;
  values: readonly unknown[];
}

/** pg's own conversion of a parameter to its text form (what `client.query(text, values)` sends). */
const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): string | Buffer | null } }).utils.prepareValue;

interface Prepared {
  text: string;
  values: (string | Buffer | null)[];
}

/**
 * pg's Query already collects one result per command of a multi-statement simple query; only
 * what it writes differs. Unnamed statement and portal, text format, as pg's own extended queries.
 * The values are converted before anything is written, so writing cannot fail half-way.
 */
class Pipelined extends pg.Query {
  constructor(private readonly statements: readonly Prepared[]) {
    super(statements.map((s) => s.text).join(';\n'));
  }

  // A property in pg's types, so one here too.
  override submit = (connection: pg.Connection): void => {
    const stream = connection.stream as pg.Connection['stream'] & { cork?: () => void; uncork?: () => void };
    stream.cork?.();
    try {
      for (const s of this.statements) {
        connection.parse({ text: s.text, name: '', types: [] }, true);
        connection.bind({ portal: '', statement: '', values: s.values } as pg.BindConfig, true);
        connection.describe({ type: 'P', name: '' }, true);
        connection.execute({ portal: '' }, true);
      }
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  };
}

/** Runs `statements` in one round trip; one result per statement, or the first error. */
export async function runPipelined(client: pg.ClientBase, statements: readonly Statement[]): Promise<pg.QueryResult[]> {
  const query = new Pipelined(statements.map((s) => ({ text: s.text, values: s.values.map((v) => prepareValue(v)) })));
  const done = new Promise<pg.QueryResult[]>((resolve, reject) => {
    query.once('end', (results: pg.QueryResult | pg.QueryResult[]) => resolve(Array.isArray(results) ? results : [results]));
    query.once('error', reject);
  });
  client.query(query);
  return done;
}
