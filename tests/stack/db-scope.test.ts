// The request scope against the real database: its transaction start and settings travel with
// the first statement, a statement sent with `commit` commits in the same round trip, and an
// error anywhere leaves nothing committed and the connection usable (kit/db-scope.ts,
// kit/pipeline.ts).
import assert from 'node:assert/strict';
import pg from 'pg';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { inRequestScope, inScopedConnection, type RequestScope } from '../../stack/src/kit/db-scope.ts';
import { runPipelined } from '../../stack/src/kit/pipeline.ts';
import { env } from '../support/env.ts';

const TABLE = 'public.test_db_scope_rows';
const pool = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
const scope: RequestScope = { role: 'service_role', claims: { sub: 'u-1' }, method: 'POST', path: '/things', settings: { search_path: 'public' } };

/** How many ReadyForQuery messages (one per round trip) `client` receives while `fn` runs. */
async function roundTrips<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<{ value: T; trips: number }> {
  const connection = (client as unknown as { connection: pg.Connection }).connection;
  let trips = 0;
  const count = () => void (trips += 1);
  connection.on('readyForQuery', count);
  try {
    return { value: await fn(), trips };
  } finally {
    connection.off('readyForQuery', count);
  }
}

const ids = async () => (await pool.query<{ id: number }>(`select id from ${TABLE} order by id`)).rows.map((r) => r.id);

beforeAll(async () => {
  await pool.query(`drop table if exists ${TABLE}; create table ${TABLE} (id int primary key); grant all on ${TABLE} to service_role`);
  // Warm the role-settings cache, so the counts below are the request's own round trips.
  await inRequestScope(pool, scope, async () => undefined);
});
afterAll(async () => {
  await pool.query(`drop table if exists ${TABLE}`);
  await pool.end();
});

describe('runPipelined', () => {
  test('one result per statement, in one round trip, with parameters converted as pg converts them', async () => {
    const client = await pool.connect();
    try {
      const { value, trips } = await roundTrips(client, () =>
        runPipelined(client, [
          { text: 'select $1::int + 1 as n', values: [41] },
          { text: 'select $1::text[] as a, $2::text as b', values: [['x', 'y,z'], null] },
          { text: 'select 1 where false', values: [] },
        ]),
      );
      assert.equal(trips, 1);
      assert.deepEqual(
        value.map((r) => r.rows),
        [[{ n: 42 }], [{ a: ['x', 'y,z'], b: null }], []],
      );
    } finally {
      client.release();
    }
  });

  test('an error skips the statements after it; the connection answers the next query', async () => {
    const client = await pool.connect();
    try {
      await assert.rejects(
        runPipelined(client, [
          { text: 'begin', values: [] },
          { text: `insert into ${TABLE} values (1)`, values: [] },
          { text: 'select 1 / $1::int', values: [0] },
          { text: `insert into ${TABLE} values (2)`, values: [] },
          { text: 'commit', values: [] },
        ]),
        (e: Error & { code?: string }) => e.code === '22012',
      );
      await client.query('rollback');
      assert.deepEqual((await client.query('select 7 as n')).rows, [{ n: 7 }]);
    } finally {
      client.release();
    }
    assert.deepEqual(await ids(), []);
  });
});

describe('inScopedConnection', () => {
  test('begin, the settings, the statement and commit: one round trip, as the scope’s role with its claims', async () => {
    const { value, trips } = await inScopedConnection(pool, scope, async (scoped) =>
      roundTrips(scoped.client, async () =>
        (
          await scoped.query(
            {
              text: `insert into ${TABLE} values ($1) returning current_user as role, current_setting('request.jwt.claims') as claims, current_setting('request.path') as path`,
              values: ['10'],
            },
            { commit: true },
          )
        ).rows,
      ),
    );
    assert.equal(trips, 1);
    assert.deepEqual(value, [{ role: 'service_role', claims: '{"sub":"u-1","role":"service_role"}', path: '/things' }]);
    assert.deepEqual(await ids(), [10]);
    // The settings were transaction-local: the pooled connection is back to itself.
    const after = await pool.query<{ role: string; claims: string | null }>(`select current_user as role, current_setting('request.jwt.claims', true) as claims`);
    assert.deepEqual(after.rows.map((r) => [r.role, r.claims ?? '']), [['postgres', '']]);
  });

  test('a statement sent without commit leaves the decision to the caller: a throw rolls it back', async () => {
    await assert.rejects(
      inScopedConnection(pool, scope, async (scoped) => {
        await scoped.query({ text: `insert into ${TABLE} values (11)`, values: [] });
        throw new Error('the caller decides to roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await ids(), [10]);
  });

  test('a failing COMMIT (a deferred constraint) fails the request and commits nothing', async () => {
    await pool.query(`alter table ${TABLE} add column parent int references ${TABLE} (id) deferrable initially deferred`);
    try {
      await assert.rejects(
        inScopedConnection(pool, scope, (scoped) => scoped.query({ text: `insert into ${TABLE} values (12, 999)`, values: [] }, { commit: true })),
        (e: Error & { code?: string }) => e.code === '23503',
      );
    } finally {
      await pool.query(`alter table ${TABLE} drop column parent`);
    }
    assert.deepEqual(await ids(), [10]);
  });

  test('a failing statement with commit commits nothing, and a scope that sent nothing costs no round trip', async () => {
    await assert.rejects(
      inScopedConnection(pool, scope, (scoped) => scoped.query({ text: `insert into ${TABLE} values (10)`, values: [] }, { commit: true })),
      (e: Error & { code?: string }) => e.code === '23505',
    );
    const { trips } = await inScopedConnection(pool, scope, (scoped) => roundTrips(scoped.client, async () => undefined));
    assert.equal(trips, 0);
    assert.deepEqual(await ids(), [10]);
  });
});
