// Fixtures of the GraphQL conformance tests: pg_graphql's documentation examples (a blog with
// posts, docs/api.md and docs/functions.md) as `gql_` tables in `public`, with RLS per role:
// anon reads blogs and published posts; a learner reads those and their own drafts and writes
// only their own posts; the service role bypasses RLS. Rebuilt by each test file's `before`.
import { afterAll as after, beforeAll as before } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

export const GRAPHQL = `${env.SUPABASE_URL}/graphql/v1`;

export const USERS = {
  alice: '00000000-0000-4000-8000-00000000a11c',
  bob: '00000000-0000-4000-8000-000000000b0b',
} as const;

const SQL = `
drop table if exists public.gql_blog_post, public.gql_blog, public.gql_secret cascade;
drop type if exists public.gql_post_status cascade;
drop function if exists public.gql_add_nums(int, int), public.gql_add_nums_defaults(int, int), public.gql_add_blog(text),
  public.gql_blogs_by_name(text), public.gql_blog_by_id(int), public.gql_whoami(), public.gql_secret_count() cascade;

create type public.gql_post_status as enum ('DRAFT', 'PUBLISHED');

create table public.gql_blog (
  id serial primary key,
  owner_id uuid,
  name varchar(255) not null,
  description varchar(255),
  tags text[],
  visits bigint not null default 0,
  rating numeric(3, 1),
  config jsonb,
  created_at timestamp not null default '2023-07-24 04:01:09.882781'
);
comment on table public.gql_blog is e'Blogs\n@graphql({"totalCount": {"enabled": true}})';
comment on column public.gql_blog.name is 'Display name';

create table public.gql_blog_post (
  id uuid primary key default gen_random_uuid(),
  blog_id integer not null references public.gql_blog(id) on delete cascade,
  owner_id uuid not null default (nullif(current_setting('request.jwt.claims', true)::jsonb ->> 'sub', ''))::uuid,
  title varchar(255) not null,
  body varchar(10000),
  status public.gql_post_status not null default 'DRAFT',
  created_at timestamptz not null default '2024-01-01 00:00:00+00'
);
create index on public.gql_blog_post(blog_id);

-- Only the service role may read it: other roles' schemas must not show it at all.
create table public.gql_secret (id int primary key, note text);
revoke all on public.gql_secret from anon, authenticated;

alter table public.gql_blog enable row level security;
alter table public.gql_blog_post enable row level security;
alter table public.gql_secret enable row level security;
create policy gql_blog_read on public.gql_blog for select to anon, authenticated using (true);
create policy gql_blog_write_own on public.gql_blog for all to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy gql_post_read on public.gql_blog_post for select to anon, authenticated
  using (status = 'PUBLISHED' or owner_id = (select auth.uid()));
create policy gql_post_insert_own on public.gql_blog_post for insert to authenticated with check (owner_id = (select auth.uid()));
create policy gql_post_update_own on public.gql_blog_post for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy gql_post_delete_own on public.gql_blog_post for delete to authenticated using (owner_id = (select auth.uid()));
-- anon reads, never writes.
revoke insert, update, delete on public.gql_blog, public.gql_blog_post from anon;

insert into public.gql_blog (id, owner_id, name, description, tags, visits, rating, config) values
  (1, '${USERS.alice}', 'A: Blog 1', 'a desc1', '{tech,innovation}', 9007199254740993, 4.5, '{"palette": "dark-mode"}'),
  (2, '${USERS.alice}', 'A: Blog 2', 'a desc2', '{tech,innovation,entrepreneurship}', 3, 3.0, null),
  (3, '${USERS.bob}', 'A: Blog 3', null, '{innovation,entrepreneurship}', 0, null, null),
  (4, '${USERS.bob}', 'B: Blog 4', 'b desc1', '{travel}', 7, 5.0, null);
select setval(pg_get_serial_sequence('public.gql_blog', 'id'), 100);

insert into public.gql_blog_post (id, blog_id, owner_id, title, body, status) values
  ('00000000-0000-4000-8000-000000000001', 1, '${USERS.alice}', 'fIr3t p0sT', 'hello', 'PUBLISHED'),
  ('00000000-0000-4000-8000-000000000002', 1, '${USERS.alice}', 'graphql with postgres', null, 'PUBLISHED'),
  ('00000000-0000-4000-8000-000000000003', 1, '${USERS.alice}', 'alice draft', 'secret alice', 'DRAFT'),
  ('00000000-0000-4000-8000-000000000004', 3, '${USERS.bob}', 'bob published', 'hi', 'PUBLISHED'),
  ('00000000-0000-4000-8000-000000000005', 3, '${USERS.bob}', 'bob draft', 'secret bob', 'DRAFT');

insert into public.gql_secret values (1, 'only the service role');

create function public.gql_add_nums(a int, b int) returns int immutable language sql set search_path = '' as $$ select a + b $$;
create function public.gql_add_nums_defaults(a int default 1, b int default 2) returns int immutable language sql set search_path = '' as $$ select a + b $$;
create function public.gql_add_blog(name text) returns public.gql_blog volatile language sql set search_path = '' as $$
  insert into public.gql_blog (owner_id, name) values ((select auth.uid()), name) returning *
$$;
create function public.gql_blogs_by_name(pattern text) returns setof public.gql_blog stable language sql set search_path = '' as $$
  select * from public.gql_blog where name like pattern
$$;
create function public.gql_blog_by_id(blog_id int) returns public.gql_blog stable language sql set search_path = '' as $$
  select * from public.gql_blog where id = blog_id
$$;
create function public.gql_whoami() returns jsonb stable language sql set search_path = '' as $$
  select pg_catalog.jsonb_build_object('role', current_user, 'sub', (select auth.uid()),
    'method', pg_catalog.current_setting('request.method', true))
$$;
create function public.gql_secret_count() returns int stable language sql set search_path = '' as $$ select 1 $$;
revoke execute on function public.gql_secret_count() from public, anon, authenticated;
revoke execute on function public.gql_add_blog(text) from public, anon;

notify pgrst, 'reload schema';
`;

export type Role = 'anon' | 'alice' | 'bob' | 'service';

/** The bearer a role sends (the anon key is always the apikey, as in a browser). */
export async function bearer(role: Role): Promise<string> {
  if (role === 'anon') return env.ANON_KEY;
  if (role === 'service') return env.SERVICE_ROLE_KEY;
  return accessToken({ sub: USERS[role], email: `${role}@example.test` });
}

export interface GraphqlResult {
  status: number;
  body: { data: Record<string, any> | null; errors?: { message: string }[] } & Record<string, unknown>;
}

/** POST /graphql/v1 as `role`. */
export async function gql(role: Role, query: string, variables?: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<GraphqlResult> {
  const r = await fetch(GRAPHQL, {
    method: 'POST',
    headers: { apikey: env.ANON_KEY, Authorization: `Bearer ${await bearer(role)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables, ...extra }),
  });
  return { status: r.status, body: (await r.json()) as GraphqlResult['body'] };
}

/** The `data` of a query that must succeed. */
export async function data(role: Role, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const r = await gql(role, query, variables);
  if (r.status !== 200 || r.body.errors || !r.body.data) throw new Error(`${role}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data;
}

/** The one error message of a query that must fail as pg_graphql fails: 200, data null. */
export async function errorOf(role: Role, query: string, variables?: Record<string, unknown>): Promise<string> {
  const r = await gql(role, query, variables);
  if (r.status !== 200 || r.body.data !== null || r.body.errors?.length !== 1) throw new Error(`expected one error: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.errors[0]?.message ?? '';
}

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value).replaceAll(',', ', '), 'utf8').toString('base64');

let lock: pg.Client | undefined;

/** Recreates the fixtures and waits for the GraphQL schema; held (advisory lock) until `releaseFixtures`. */
export async function setupFixtures(): Promise<void> {
  lock = new pg.Client({ connectionString: env.DB_URL, application_name: 'graphql-tests-lock' });
  await lock.connect();
  await lock.query("select pg_advisory_lock(hashtext('graphql_fixtures'))");
  await lock.query(`begin; ${SQL}; commit;`);
  // The GraphQL service reloads its schema cache on the NOTIFY: wait until it knows the fixtures.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await gql('service', '{ gql_blog_postCollection(first: 0) { pageInfo { hasNextPage } } gql_add_nums(a: 1, b: 1) }');
    if (r.status === 200 && !r.body.errors) return;
    if (Date.now() > deadline) throw new Error(`the GraphQL schema never showed the fixtures: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

export async function releaseFixtures(): Promise<void> {
  await lock?.end();
  lock = undefined;
}

/** Fresh fixtures before the file's tests, held until they end. */
export function useFixtures(): void {
  before(setupFixtures);
  after(releaseFixtures);
}
