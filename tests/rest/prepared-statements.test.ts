// /rest/v1 runs its generated SQL as prepared statements of each pooled connection (as PostgREST
// does by default; kit/pipeline.ts). What must not change: a column added and a function
// redefined are seen (with and without a schema reload), a request that fails leaves the next
// one of the same shape working, and the statements really are prepared and are closed when the
// schema cache reloads.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { env } from '../support/env.ts';
import { pgQuery, raw, until, waitForSchema } from './fixtures.ts';

const SQL = `
drop table if exists public.prep_items, public.prep_marker cascade;
drop function if exists public.prep_fn(int), public.prep_fn(text), public.prep_my_statements() cascade;
create table public.prep_items (id int primary key, label text not null);
insert into public.prep_items values (1, 'one'), (2, 'two');
grant select on public.prep_items to service_role;
create function public.prep_fn(a int) returns int language sql stable as $$ select a + 1 $$;
-- The statements prepared on the connection that serves this very call.
create function public.prep_my_statements() returns setof text language sql stable as $$
  select statement from pg_catalog.pg_prepared_statements where name like 'ascend_stmt_%'
$$;
notify pgrst, 'reload schema';
`;

const service = { apikey: env.SERVICE_ROLE_KEY, Authorization: `Bearer ${env.SERVICE_ROLE_KEY}` };
const get = (path: string) => raw(path, { headers: service });
const call = (fn: string, body: unknown) => raw(`/rpc/${fn}`, { method: 'POST', headers: { ...service, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** `n` requests at once, so that every pooled connection serves (and prepares) some. */
const many = <T>(n: number, fn: () => Promise<T>) => Promise.all(Array.from({ length: n }, fn));

before(async () => {
  await pgQuery(SQL);
  await waitForSchema(['prep_items', 'rpc/prep_my_statements']);
});
after(async () => {
  await pgQuery(`drop table if exists public.prep_items, public.prep_marker cascade;
    drop function if exists public.prep_fn(int), public.prep_fn(text), public.prep_my_statements() cascade; notify pgrst, 'reload schema';`);
});

describe('prepared statements on /rest/v1', () => {
  test('the generated statements are prepared on the connection that runs them', async () => {
    await call('prep_my_statements', {});
    const r = await call('prep_my_statements', {});
    assert.equal(r.status, 200);
    const texts = r.json as string[];
    assert.ok(texts.some((t) => t.includes('"public"."prep_my_statements"(')), 'the call itself');
    assert.ok(texts.includes('commit'), 'the request scope’s commit');
    assert.ok(texts.some((t) => t.startsWith('select pg_catalog.set_config($1, $2, true)')), 'the request scope’s settings');
  });

  test('a column added is selected, by name after the reload and in select=*', async () => {
    for (let round = 0; round < 3; round++) {
      for (const r of await many(12, () => get('/prep_items?select=*&order=id'))) {
        assert.deepEqual(r.json, [{ id: 1, label: 'one' }, { id: 2, label: 'two' }]);
      }
    }
    await pgQuery(`alter table public.prep_items add column extra text not null default 'x'; notify pgrst, 'reload schema'`);
    await until(async () => (await get('/prep_items?select=extra&limit=1')).status === 200, 'the new column in the schema cache', 15_000);
    for (const r of await many(12, () => get('/prep_items?select=*&order=id'))) {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, [{ id: 1, label: 'one', extra: 'x' }, { id: 2, label: 'two', extra: 'x' }]);
    }
    // A column's type changed under the same statement text.
    await pgQuery(`alter table public.prep_items alter column id type bigint; notify pgrst, 'reload schema'`);
    for (const r of await many(12, () => get('/prep_items?select=*&order=id'))) {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, [{ id: 1, label: 'one', extra: 'x' }, { id: 2, label: 'two', extra: 'x' }]);
    }
  });

  test('a function redefined is called as it is now: new body at once, new result type after the reload', async () => {
    await pgQuery(`create or replace function public.prep_fn(a int) returns int language sql stable as $$ select a + 1 $$; notify pgrst, 'reload schema'`);
    await until(async () => (await call('prep_fn', { a: 1 })).text === '2', 'prep_fn(int)', 15_000);
    for (let round = 0; round < 3; round++) for (const r of await many(12, () => call('prep_fn', { a: 1 }))) assert.equal(r.text, '2');
    // Same signature, new body, no reload: PostgreSQL re-plans the prepared statement.
    await pgQuery(`create or replace function public.prep_fn(a int) returns int language sql stable as $$ select a + 100 $$`);
    for (const r of await many(12, () => call('prep_fn', { a: 1 }))) assert.equal(r.text, '101');
    // Dropped and created with another result type and then another argument.
    await pgQuery(`drop function public.prep_fn(int); create function public.prep_fn(a int) returns text language sql stable as $$ select 'v' || a $$; notify pgrst, 'reload schema'`);
    await until(async () => (await call('prep_fn', { a: 1 })).text === '"v1"', 'prep_fn returning text', 15_000);
    for (const r of await many(12, () => call('prep_fn', { a: 1 }))) assert.equal(r.text, '"v1"');
    await pgQuery(`drop function public.prep_fn(int); create function public.prep_fn(a text) returns text language sql stable as $$ select 'w' || a $$; notify pgrst, 'reload schema'`);
    await until(async () => (await call('prep_fn', { a: 'z' })).text === '"wz"', 'prep_fn(text)', 15_000);
    for (const r of await many(12, () => call('prep_fn', { a: 'z' }))) assert.equal(r.text, '"wz"');
  });

  test('a request that fails leaves the next request of the same shape working', async () => {
    for (let round = 0; round < 3; round++) {
      const bad = await many(6, () => get('/prep_items?select=id,label&id=eq.not-a-number'));
      for (const r of bad) assert.equal(r.status, 400, r.text);
      for (const r of await many(6, () => get('/prep_items?select=id,label&id=eq.2'))) assert.deepEqual(r.json, [{ id: 2, label: 'two' }]);
    }
  });

  test('a schema reload closes the statements prepared before it', async () => {
    for (let round = 0; round < 3; round++) await many(12, () => get('/prep_items?select=label&order=id.desc'));
    await pgQuery(`create table public.prep_marker (id int); notify pgrst, 'reload schema'`);
    await waitForSchema(['prep_marker']);
    for (const r of await many(12, () => call('prep_my_statements', {}))) {
      assert.equal(r.status, 200, r.text);
      const stale = (r.json as string[]).filter((t) => t.includes('"prep_items"'));
      assert.deepEqual(stale, [], 'no statement of before the reload');
    }
  });
});
