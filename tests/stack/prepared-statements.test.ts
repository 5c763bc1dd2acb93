// Prepared statements of the request pipeline (kit/pipeline.ts) against the real database: a
// statement marked `prepare` is parsed once per connection and then only bound; the cache is
// bounded; a failed pipeline leaves no statement behind; a statement PostgreSQL refuses as stale
// (0A000 after a table's row type changed) is parsed anew on the next use; a schema reload
// (`invalidatePreparedStatements`) closes every statement of the connection.
import assert from 'node:assert/strict';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { invalidatePreparedStatements, PREPARED_STATEMENTS_PER_CONNECTION, preparedStatementCount, runPipelined } from '../../stack/src/kit/pipeline.ts';
import { env } from '../support/env.ts';

const TABLE = 'public.test_prepared_rows';
let client: pg.Client;

/** The connection's own prepared statements (pg_prepared_statements is per session), by text. */
async function serverStatements(): Promise<string[]> {
  // Not prepared itself; it carries the pending Close messages of the connection first.
  const [r] = await runPipelined(client, [{ text: "select statement from pg_catalog.pg_prepared_statements where name like 'ascend_stmt_%' order by statement", values: [] }]);
  return (r?.rows ?? []).map((x: { statement: string }) => x.statement);
}

/** How many Parse messages `fn` makes the client send. */
async function parses<T>(fn: () => Promise<T>): Promise<number> {
  const connection = (client as unknown as { connection: pg.Connection & { parse(...a: unknown[]): void } }).connection;
  const original = connection.parse;
  let n = 0;
  connection.parse = function (...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  try {
    await fn();
    return n;
  } finally {
    connection.parse = original;
  }
}

const SELECT = `select * from ${TABLE} where id = $1`;

beforeAll(async () => {
  client = new pg.Client({ connectionString: env.DB_URL });
  await client.connect();
});
beforeEach(async () => {
  invalidatePreparedStatements();
  await client.query(`drop table if exists ${TABLE}; create table ${TABLE} (id int primary key, label text); insert into ${TABLE} values (1, 'one')`);
});
afterAll(async () => {
  await client.query(`drop table if exists ${TABLE}`);
  await client.end();
});

describe('prepared statements per connection', () => {
  test('a marked statement is parsed once, then only bound, and answers with each call’s values', async () => {
    assert.equal(await parses(() => runPipelined(client, [{ text: SELECT, values: [1], prepare: true }])), 1);
    for (const id of [1, 2, 1]) {
      let rows: unknown[] = [];
      assert.equal(await parses(async () => void ({ rows } = (await runPipelined(client, [{ text: SELECT, values: [id], prepare: true }]))[0] as pg.QueryResult)), 0);
      assert.deepEqual(rows, id === 1 ? [{ id: 1, label: 'one' }] : []);
    }
    assert.deepEqual(await serverStatements(), [SELECT]);
    // Unmarked statements stay unnamed: parsed every time, never kept.
    assert.equal(await parses(() => runPipelined(client, [{ text: `select 1 as one`, values: [] }])), 1);
    assert.equal(await parses(() => runPipelined(client, [{ text: `select 1 as one`, values: [] }])), 1);
    assert.deepEqual(await serverStatements(), [SELECT]);
  });

  test('the same text twice in one round trip is parsed once', async () => {
    const n = await parses(() => runPipelined(client, [{ text: SELECT, values: [1], prepare: true }, { text: SELECT, values: [2], prepare: true }]));
    assert.equal(n, 1);
    assert.deepEqual(await serverStatements(), [SELECT]);
  });

  test('the cache is bounded: the least recently used statements are closed', async () => {
    const extra = 20;
    for (let i = 0; i < PREPARED_STATEMENTS_PER_CONNECTION + extra; i++) {
      await runPipelined(client, [{ text: `select $1::int + ${i} as n`, values: [i], prepare: true }]);
    }
    assert.equal(preparedStatementCount(client), PREPARED_STATEMENTS_PER_CONNECTION);
    const texts = await serverStatements();
    assert.equal(texts.length, PREPARED_STATEMENTS_PER_CONNECTION);
    assert.ok(!texts.includes('select $1::int + 0 as n'), 'the oldest is closed');
    assert.ok(texts.includes(`select $1::int + ${PREPARED_STATEMENTS_PER_CONNECTION + extra - 1} as n`));
  });

  test('a failed round trip keeps none of its new statements, and the next one works', async () => {
    const failing = [
      { text: SELECT, values: [1], prepare: true },
      { text: `select $1::int as bad`, values: ['not a number'], prepare: true },
      { text: `select 2 as never`, values: [], prepare: true },
    ];
    await assert.rejects(runPipelined(client, failing), (e: Error & { code?: string }) => e.code === '22P02');
    assert.equal(preparedStatementCount(client), 0);
    assert.deepEqual(await serverStatements(), []);
    const [r] = await runPipelined(client, [{ text: SELECT, values: [1], prepare: true }]);
    assert.deepEqual(r?.rows, [{ id: 1, label: 'one' }]);
  });

  test('a statement refused as stale (0A000: its row type changed) is parsed anew on the next call', async () => {
    const all = `select * from ${TABLE} order by id`;
    await runPipelined(client, [{ text: all, values: [], prepare: true }]);
    await client.query(`alter table ${TABLE} add column extra text default 'x'`);
    await assert.rejects(runPipelined(client, [{ text: all, values: [], prepare: true }]), (e: Error & { code?: string }) => e.code === '0A000');
    const [r] = await runPipelined(client, [{ text: all, values: [], prepare: true }]);
    assert.deepEqual(r?.rows, [{ id: 1, label: 'one', extra: 'x' }]);
  });

  test('after a schema reload the connection closes its statements and prepares them again', async () => {
    await runPipelined(client, [{ text: SELECT, values: [1], prepare: true }]);
    invalidatePreparedStatements();
    assert.equal(await parses(() => runPipelined(client, [{ text: SELECT, values: [1], prepare: true }])), 1);
    assert.deepEqual(await serverStatements(), [SELECT]);
    invalidatePreparedStatements();
    await runPipelined(client, [{ text: 'select 1 as one', values: [], prepare: true }]);
    assert.deepEqual(await serverStatements(), ['select 1 as one']);
  });
});
