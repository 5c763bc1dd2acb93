// Property-based fuzzing of /rest/v1 with fast-check: thousands of random select / filter / and-or
// / order / limit / Range combinations, valid and broken, as anon, two users and service_role.
// Properties: never a 5xx; every error is PostgREST-shaped and leaks no SQL (no generated
// statement text, no internal aliases, no syntax errors); and never a row RLS should hide —
// checked on conf_notes directly, through one-to-many and many-to-many embeds, through an RPC,
// in counts, and in what a PATCH or DELETE returns and changes.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { env } from '../support/env.ts';
import { fuzzParams } from '../support/fuzz.ts';
import { pgQuery, REST, releaseFixtures, setupFixtures, userToken, USERS } from './fixtures.ts';

type Role = 'anon' | 'alice' | 'bob' | 'service';
const tokens: Record<Role, string> = { anon: env.ANON_KEY, alice: '', bob: '', service: env.SERVICE_ROLE_KEY };
const ROLES: Role[] = ['anon', 'alice', 'bob', 'service'];

before(async () => {
  await setupFixtures();
  tokens.alice = await userToken('alice');
  tokens.bob = await userToken('bob');
});

after(releaseFixtures);

// ---------------------------------------------------------------------------------------------
// Generators

const NOTE_COLUMNS = ['id', 'owner_id', 'title', 'body', 'public', 'rating', 'data', 'labels', 'during', 'created_at'];
const BAD_NAMES = ['nope', 'id;drop table x', 'pgrst_source', '_postgrest_t', 'pg_class', 'conf_notes', 'current_user', 'ID', 'id"', "id'"];
const JUNK = fc.string({ unit: fc.constantFrom(...'(),.:!*"\\->{}[] ab1%&=;\'$_'.split('')), maxLength: 16 });
const ANY_TEXT = fc.string({ unit: 'grapheme', maxLength: 10 });

const name = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NOTE_COLUMNS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_NAMES) }, { weight: 1, arbitrary: ANY_TEXT });
const jsonKey = fc.oneof(fc.constantFrom('kind', 'n', '0', '1', '-1', 'x', 'kind"'), ANY_TEXT);
const jsonPath = fc.array(fc.tuple(fc.constantFrom('->', '->>'), jsonKey), { maxLength: 3 }).map((ops) => ops.map(([a, k]) => a + k).join(''));
const field = fc.tuple(name, jsonPath).map(([n, p]) => n + p);
const cast = fc.constantFrom('', '::text', '::int', '::int8', '::jsonb', '::json', '::date', '::nosuch', '::numeric', '::boolean', '::uuid', '::regclass', '::double precision', '::pg_catalog', '::');
const alias = fc.constantFrom('', 'a:', 'b:', 'x y:', '"q":', 'id:');

const selectField = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(alias, field, cast).map(([a, f, c]) => a + f + c) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'count()', 'id.sum()', '') },
  { weight: 1, arbitrary: JUNK },
);
const embedTarget = fc.constantFrom('conf_profiles', 'conf_tags', 'conf_note_tags', 'owner_id', 'conf_profiles!owner_id', 'conf_profiles!inner', 'conf_tags!inner', 'conf_orgs', 'nope', 'conf_notes');
const embed = fc
  .tuple(fc.constantFrom('', 'e:', '...'), embedTarget, fc.array(fc.constantFrom('*', 'id', 'username', 'name', 'title', 'owner_id', 'nope', 'conf_orgs(name)'), { maxLength: 3 }))
  .map(([prefix, t, cols]) => `${prefix}${t}(${cols.join(',')})`);
const select = fc.array(fc.oneof({ weight: 4, arbitrary: selectField }, { weight: 1, arbitrary: embed }), { maxLength: 4 }).map((xs) => xs.join(','));

const value = fc.oneof(
  fc.constantFrom('1', '0', '-1', '5', 'abc', 'null', 'true', '{}', '{red}', '{1,2}', '[1,5)', '%', '*', "'", '"', '\\', 'a,b', '(x)', '2020-01-01', '{"kind":"a"}', 'Alice*', '', ' '),
  ANY_TEXT,
);
const operator = fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'isdistinct', 'fts', 'plfts', 'phfts', 'wfts', 'fts(english)', 'wfts(nope)', 'eq(any)', 'like(all)', 'gt(any)', 'xx');
const opExpr = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', 'not.'), operator, value).map(([n, o, v]) => `${n}${o}.${v}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', 'not.'), fc.array(value, { maxLength: 4 })).map(([n, vs]) => `${n}in.(${vs.join(',')})`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', 'not.'), fc.constantFrom('null', 'not_null', 'true', 'false', 'unknown', 'NULL', 'x')).map(([n, v]) => `${n}is.${v}`) },
  { weight: 1, arbitrary: JUNK },
);
const filterKey = fc.oneof({ weight: 5, arbitrary: field }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('conf_profiles', 'conf_tags', 'nope'), field).map(([e, f]) => `${e}.${f}`) });
const filter = fc.tuple(filterKey, opExpr);

const logicLeaf = fc.tuple(field, opExpr).map(([f, o]) => `${f}.${o}`);
const logicTree: fc.Arbitrary<string> = fc.letrec<{ tree: string }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    logicLeaf,
    fc.tuple(fc.constantFrom('and', 'or', 'not.and', 'not.or'), fc.array(tie('tree'), { minLength: 1, maxLength: 3 })).map(([op, xs]) => `${op}(${xs.join(',')})`),
  ),
})).tree;
const logic = fc.tuple(fc.constantFrom('or', 'and', 'not.or', 'conf_profiles.or'), fc.array(logicTree, { minLength: 1, maxLength: 3 }), fc.boolean()).map(
  ([k, xs, junk]) => [k, junk ? xs.join(',') : `(${xs.join(',')})`] as const,
);

const orderTerm = fc
  .tuple(fc.oneof(field, fc.constantFrom('conf_profiles(username)', 'conf_tags(name)', 'nope(x)')), fc.constantFrom('', '.asc', '.desc', '.ac'), fc.constantFrom('', '.nullsfirst', '.nullslast'))
  .map(([f, d, n]) => f + d + n);
const order = fc.array(orderTerm, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
const intish = fc.oneof(fc.integer({ min: -3, max: 12 }).map(String), fc.constantFrom('abc', '', '1e3', '99999999999999999999'));

interface Req {
  role: Role;
  select: string | null;
  filters: [string, string][];
  logic: (readonly [string, string])[];
  order: string | null;
  limit: string | null;
  offset: string | null;
  range: string | null;
  count: boolean;
  accept: string | null;
}

const chaosRequest: fc.Arbitrary<Req> = fc.record({
  role: fc.constantFrom(...ROLES),
  select: fc.option(select, { nil: null }),
  filters: fc.array(filter, { maxLength: 3 }),
  logic: fc.array(logic, { maxLength: 2 }),
  order: fc.option(order, { nil: null }),
  limit: fc.option(intish, { nil: null }),
  offset: fc.option(intish, { nil: null }),
  range: fc.option(fc.oneof(fc.constantFrom('0-1', '2-', '5-2', 'x', '1-1'), JUNK), { nil: null }),
  count: fc.boolean(),
  accept: fc.option(fc.constantFrom('application/json', 'text/csv', 'application/vnd.pgrst.object+json', 'application/xml', '*/*'), { nil: null }),
});

// Mostly valid requests, typed per column, so most of them reach the database.
const not = fc.constantFrom('', '', '', 'not.');
const ints = fc.constantFrom('0', '1', '3', '5', '-1', '100');
const typedFilter: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom('id', 'rating'), not, fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isdistinct'), ints).map(([c, n, o, v]): [string, string] => [c, `${n}${o}.${v}`]),
  fc.tuple(fc.constantFrom('id', 'rating'), not, fc.array(ints, { minLength: 1, maxLength: 3 })).map(([c, n, vs]): [string, string] => [c, `${n}in.(${vs.join(',')})`]),
  fc.tuple(fc.constantFrom('title', 'body'), not, fc.constantFrom('eq', 'like', 'ilike', 'match', 'imatch', 'like(any)'), fc.constantFrom('Alice*', '*public*', '%rocks', '^Bob', 'secret', '{*one,*trip}', 'x')).map(([c, n, o, v]): [string, string] => [c, `${n}${o}.${v}`]),
  fc.tuple(fc.constantFrom('title', 'body'), not, fc.constantFrom('fts', 'plfts', 'phfts', 'wfts', 'fts(english)', 'wfts(simple)'), fc.constantFrom('secret', 'alice & public', 'hiking trip', 'plans -secret')).map(([c, n, o, v]): [string, string] => [c, `${n}${o}.${v}`]),
  fc.tuple(fc.constantFrom('public', 'rating', 'body', 'data', 'labels', 'during'), not, fc.constantFrom('null', 'not_null', 'true', 'false')).map(([c, n, v]): [string, string] => [c, `${n}is.${v}`]),
  fc.tuple(fc.constantFrom('data->>kind', 'data->n', 'data->>n', 'labels->0', 'labels->>0'), not, fc.constantFrom('eq.a', 'eq.red', 'gt.1', 'in.(a,b)', 'like.*e*', 'is.null')).map(([c, n, v]): [string, string] => [c, n + v]),
  fc.tuple(fc.constantFrom('data', 'labels'), not, fc.constantFrom('cs.{"kind":"a"}', 'cd.{"kind":"b","n":2}', 'cs.{red}', 'cd.{red,blue}', 'ov.{green,red}')).map(([c, n, v]): [string, string] => [c, n + v]),
  fc.tuple(not, fc.constantFrom('ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'cs', 'cd'), fc.constantFrom('[1,5)', '[4,4]', '(0,100)', '[20,30)')).map(([n, o, v]): [string, string] => ['during', `${n}${o}.${v}`]),
  fc.tuple(not, fc.constantFrom(USERS.alice.id, USERS.bob.id)).map(([n, v]): [string, string] => ['owner_id', `${n}eq.${v}`]),
  fc.tuple(not, fc.constantFrom('gt.2000-01-01', 'lt.2100-01-01T00:00:00Z')).map(([n, v]): [string, string] => ['created_at', n + v]),
);
const typedLeaf = typedFilter.map(([c, v]) => `${c}.${v.includes('(') && v.startsWith('in.') ? v : v.replace(/,/g, '\\,')}`).filter((x) => !x.includes('\\'));
const typedLogic = fc
  .tuple(fc.constantFrom('or', 'and', 'not.or', 'not.and'), fc.array(fc.oneof(typedLeaf, fc.array(typedLeaf, { minLength: 1, maxLength: 2 }).map((xs) => `and(${xs.join(',')})`)), { minLength: 1, maxLength: 3 }))
  .map(([k, xs]) => [k, `(${xs.join(',')})`] as const);
const typedSelectItem = fc.oneof(
  fc.constantFrom('*', 'title', 'body', 'rating', 'labels', 'during', 'created_at', 'data'),
  fc.tuple(fc.constantFrom('', 'a:', 'x y:'), fc.constantFrom('title', 'rating', 'data->kind', 'data->>n', 'labels->0'), fc.constantFrom('', '', '::text', '::int4', '::jsonb')).map(([a, c, t]) => a + c + t),
  fc.constantFrom('conf_profiles(username)', 'owner:conf_profiles(username,conf_orgs(name))', 'conf_tags(name)', 'conf_tags!inner(name)', 'owner_id(*)', 'conf_profiles!inner(username)', '...conf_profiles(username)', 'conf_note_tags(tag_id)'),
);
const typedOrder = fc
  .array(fc.tuple(fc.constantFrom('id', 'rating', 'title', 'public', 'data->>kind', 'conf_profiles(username)'), fc.constantFrom('', '.asc', '.desc'), fc.constantFrom('', '.nullsfirst', '.nullslast')), { minLength: 1, maxLength: 2 })
  .map((xs) => xs.map(([a, b, c]) => a + b + c).join(','));
const validRequest: fc.Arbitrary<Req> = fc.record({
  role: fc.constantFrom(...ROLES),
  select: fc.option(fc.array(typedSelectItem, { maxLength: 3 }).map((xs) => xs.join(',')), { nil: null }),
  filters: fc.array(typedFilter, { maxLength: 2 }),
  logic: fc.array(typedLogic, { maxLength: 1 }),
  order: fc.option(typedOrder, { nil: null }),
  limit: fc.option(fc.constantFrom('0', '1', '2', '10'), { nil: null }),
  offset: fc.option(fc.constantFrom('0', '1', '3'), { nil: null }),
  range: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('0-1', '1-', '0-0') }),
  count: fc.boolean(),
  accept: fc.option(fc.constantFrom('application/json', 'text/csv', 'application/vnd.pgrst.object+json', 'application/vnd.pgrst.array+json;nulls=stripped'), { nil: null }),
});

const request: fc.Arbitrary<Req> = fc.oneof({ weight: 7, arbitrary: validRequest }, { weight: 3, arbitrary: chaosRequest });

// ---------------------------------------------------------------------------------------------
// Sending and checking

const enc = (s: string) => encodeURIComponent(s);

function queryString(r: Req, forcedSelect?: (s: string | null) => string): string {
  const parts: string[] = [];
  const sel = forcedSelect ? forcedSelect(r.select) : r.select;
  if (sel !== null) parts.push(`select=${enc(sel)}`);
  for (const [k, v] of r.filters) parts.push(`${enc(k)}=${enc(v)}`);
  for (const [k, v] of r.logic) parts.push(`${enc(k)}=${enc(v)}`);
  if (r.order !== null) parts.push(`order=${enc(r.order)}`);
  if (r.limit !== null) parts.push(`limit=${enc(r.limit)}`);
  if (r.offset !== null) parts.push(`offset=${enc(r.offset)}`);
  return parts.join('&');
}

const statuses = new Map<number, number>();
const codes = new Map<string, number>();

interface Sent {
  status: number;
  text: string;
  json: unknown;
  contentRange: string | null;
}

async function send(method: string, path: string, r: Pick<Req, 'role' | 'range' | 'count' | 'accept'>, extra: Record<string, string> = {}, body?: string): Promise<Sent> {
  const headers: Record<string, string> = { apikey: env.ANON_KEY, Authorization: `Bearer ${tokens[r.role]}`, ...extra };
  if (r.range !== null) headers.Range = r.range;
  if (r.count) headers.Prefer = [headers.Prefer, 'count=exact'].filter(Boolean).join(',');
  if (r.accept !== null) headers.Accept = r.accept;
  const res = await fetch(`${REST}${path}`, { method, headers, body });
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (process.env.REST_FUZZ_CODES && res.status >= 400) {
    const t = await res.clone().text();
    const m = /"code":"([^"]+)"/.exec(t);
    const k = `${res.status}:${m?.[1] ?? '?'}${m?.[1] === 'PGRST100' || m?.[1] === '42703' ? '' : ` ${/"message":"([^"]{0,60})/.exec(t)?.[1] ?? ''}`}`;
    codes.set(k, (codes.get(k) ?? 0) + 1);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, contentRange: res.headers.get('content-range') };
}

/** Fragments of generated SQL: internal aliases, functions and keywords the renderer writes. */
const LEAKS = /pgrst_source|_postgrest_t|pgrst_body|pgrst_payload|pgrst_call|pgrst_scalar|json_agg|row_to_json|to_jsonb|current_setting|syntax error at|\b(?:SELECT|LATERAL|ORDER BY|FROM|WHERE|LIMIT|OFFSET|RETURNING)\b|\$\d+/g;

/**
 * PostgreSQL's and pg-safeupdate's own words about the caller's input, as on hosted Supabase
 * (e.g. `id=sl.1` on a bigint is a bit shift, and PostgreSQL says the filter is not boolean).
 */
const USER_FACING = [
  /^(UPDATE|DELETE) requires a WHERE clause$/,
  /^(LIMIT|OFFSET) must not be negative$/,
  /^argument of WHERE must be type boolean, not type [a-z ]+$/,
];

/** The request's own text (decoded): error messages may quote it back. */
function ownText(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** SQL fragments in an error that the caller did not write themselves. */
function leaks(text: string, path: string): string[] {
  if (USER_FACING.some((re) => re.test(text))) return [];
  const own = ownText(path);
  return [...text.matchAll(LEAKS)].map((m) => m[0]).filter((m) => !own.includes(m));
}

function checkShape(path: string, s: Sent): void {
  assert.ok(s.status > 0 && s.status < 500, `${path} → ${s.status} ${s.text.slice(0, 300)}`);
  if (s.status >= 400) {
    const body = s.json as Record<string, unknown> | undefined;
    assert.ok(body && typeof body === 'object', `${path} → non-JSON error ${s.text.slice(0, 200)}`);
    assert.deepStrictEqual(Object.keys(body).sort(), ['code', 'details', 'hint', 'message'], `${path} → ${s.text}`);
    assert.equal(typeof body.code, 'string');
    assert.equal(typeof body.message, 'string');
    // 42601 for the caller's own tsquery text is fine; any other syntax error means broken SQL.
    if (body.code === '42601') assert.match(String(body.message), /^syntax error in tsquery/, `${path} → SQL syntax error: ${s.text}`);
    const found = [body.message, body.details, body.hint].flatMap((x) => (x === null ? [] : leaks(typeof x === 'string' ? x : JSON.stringify(x), path)));
    assert.deepStrictEqual(found, [], `${path} leaks SQL: ${s.text}`);
  }
}

interface NoteRow {
  __id?: number;
  __owner?: string;
  __public?: boolean;
}

const me: Record<Role, string | null> = { anon: null, alice: USERS.alice.id, bob: USERS.bob.id, service: null };

function visible(role: Role, row: NoteRow): boolean {
  if (role === 'service') return true;
  return row.__public === true || (me[role] !== null && row.__owner === me[role]);
}

function assertVisible(role: Role, rows: NoteRow[], path: string): void {
  for (const row of rows) {
    assert.ok(visible(role, row), `${role} received hidden note ${JSON.stringify(row)} from ${path}`);
  }
}

const VISIBLE_COUNT: Record<Role, number> = { anon: 3, alice: 4, bob: 4, service: 5 };
const RUNS = Number(process.env.REST_FUZZ_RUNS ?? 1500);
const params = fuzzParams(RUNS, 'REST_FUZZ_SEED');

/** fc.assert, with the failing assertion's message in the thrown error (v4 keeps it in `cause`). */
async function check<Ts extends [unknown, ...unknown[]]>(prop: fc.IAsyncPropertyWithHooks<Ts>, p: fc.Parameters<Ts>): Promise<void> {
  try {
    await fc.assert(prop, p);
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    throw new Error(`${(e as Error).message}\n${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Puts the three RLS-relevant columns first in a (possibly broken) select. */
const withNoteKeys = (s: string | null) => `__id:id,__owner:owner_id,__public:public${s === null || s === '' ? '' : `,${s}`}`;

describe('fuzzing /rest/v1 (fast-check)', () => {
  after(() => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    const ok2xx = [...statuses].filter(([st]) => st < 300).reduce((a, [, n]) => a + n, 0);
    if (codes.size > 0) console.log([...codes].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `#   ${n} ${k}`).join('\n'));
    console.log(`# fuzz: ${total} requests, ${ok2xx} answered 2xx; by status ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  });

  test('random reads of conf_notes: no 5xx, PostgREST-shaped errors, no hidden rows, honest counts', async () => {
    await check(
      fc.asyncProperty(request, async (r) => {
        const path = `/conf_notes?${queryString(r, withNoteKeys)}`;
        const s = await send('GET', path, r);
        checkShape(path, s);
        if (s.status === 200 || s.status === 206) {
          if (Array.isArray(s.json)) assertVisible(r.role, s.json as NoteRow[], path);
          else if (s.json && typeof s.json === 'object') assertVisible(r.role, [s.json as NoteRow], path);
          const total = s.contentRange?.split('/')[1];
          if (total !== undefined && total !== '*') assert.ok(Number(total) <= VISIBLE_COUNT[r.role], `${r.role} count ${total} on ${path}`);
        }
      }),
      params,
    );
  });

  test('random raw query strings (any select / filters / order) on several tables', async () => {
    const table = fc.constantFrom('conf_notes', 'conf_profiles', 'conf_tags', 'conf_orgs', 'conf_note_tags', 'conf_moves', 'nope', 'rpc/conf_squares', 'rpc/conf_search_notes');
    await check(
      fc.asyncProperty(table, request, async (t, r) => {
        const qs = queryString(r);
        const path = `/${t}${qs === '' ? '' : `?${qs}`}`;
        checkShape(path, await send('GET', path, r));
      }),
      { ...params, numRuns: Math.round(RUNS * 0.8) },
    );
  });

  test('embedded notes (one-to-many, many-to-many, RPC) never show hidden rows', async () => {
    const source = fc.constantFrom(
      { path: '/conf_profiles', embed: 'conf_notes' },
      { path: '/conf_tags', embed: 'conf_notes' },
      { path: '/conf_orgs', embed: 'conf_profiles(conf_notes' },
    );
    await check(
      fc.asyncProperty(source, request, fc.boolean(), async (src, r, inner) => {
        const rel = src.embed.startsWith('conf_profiles(') ? 'conf_profiles.conf_notes' : 'conf_notes';
        const target = src.embed.endsWith('conf_notes') && !src.embed.includes('(') ? `conf_notes${inner ? '!inner' : ''}` : src.embed;
        const inside = withNoteKeys(r.select);
        const sel = target.includes('(') ? `id,${target}(${inside}))` : `id,${target}(${inside})`;
        const parts = [`select=${enc(sel)}`, ...r.filters.map(([k, v]) => `${enc(`${rel}.${k}`)}=${enc(v)}`)];
        if (r.order !== null) parts.push(`${rel}.order=${enc(r.order)}`);
        if (r.limit !== null) parts.push(`${rel}.limit=${enc(r.limit)}`);
        const path = `${src.path}?${parts.join('&')}`;
        const s = await send('GET', path, { ...r, accept: null, range: null });
        checkShape(path, s);
        if (s.status === 200 || s.status === 206) {
          const notes: NoteRow[] = [];
          for (const row of s.json as Record<string, unknown>[]) {
            const emb = row.conf_notes ?? (row.conf_profiles as Record<string, unknown>[] | undefined)?.flatMap((p) => p.conf_notes as NoteRow[]);
            if (Array.isArray(emb)) notes.push(...(emb as NoteRow[]));
          }
          assertVisible(r.role, notes, path);
        }
        const rpcPath = `/rpc/conf_search_notes?q=${['alice', 'o', '', 'Bob'][r.filters.length % 4]}&${queryString(r, withNoteKeys)}`;
        const rpc = await send('GET', rpcPath, { ...r, accept: null });
        checkShape(rpcPath, rpc);
        if ((rpc.status === 200 || rpc.status === 206) && Array.isArray(rpc.json)) assertVisible(r.role, rpc.json as NoteRow[], rpcPath);
      }),
      { ...params, numRuns: Math.round(RUNS * 0.4) },
    );
  });

  test('random PATCH / DELETE filters only ever touch the caller’s rows', async () => {
    // db-tx-end is `commit`, as on hosted Supabase, so `Prefer: tx=rollback` would not undo these
    // writes: each one is checked against a snapshot and the notes are restored after it.
    const db = new pg.Client({ connectionString: env.DB_URL, application_name: 'conf-rest-fuzz-restore' });
    await db.connect();
    try {
      await db.query('create temp table notes_snapshot as select * from public.conf_notes; create temp table note_tags_snapshot as select * from public.conf_note_tags');
      const othersHash = async (owner: string | null) =>
        (await db.query<{ h: string | null }>("select md5(string_agg(t::text, '|' order by id)) as h from public.conf_notes t where owner_id is distinct from $1", [owner])).rows[0]?.h;
      const untouched = new Map<Role, string | null | undefined>();
      for (const role of ROLES) untouched.set(role, await othersHash(me[role]));
      await check(
        fc.asyncProperty(fc.constantFrom<Role>('anon', 'alice', 'bob'), fc.constantFrom('PATCH', 'DELETE'), fc.array(filter, { minLength: 0, maxLength: 3 }), fc.option(select, { nil: null }), async (role, method, filters, sel) => {
          const parts = [`select=${enc(withNoteKeys(sel))}`, ...filters.map(([k, v]) => `${enc(k)}=${enc(v)}`)];
          const path = `/conf_notes?${parts.join('&')}`;
          const s = await send(method, path, { role, range: null, count: false, accept: null }, { Prefer: 'return=representation', 'Content-Type': 'application/json' }, method === 'PATCH' ? '{"body":"fuzzed"}' : undefined);
          try {
            checkShape(path, s);
            if ((s.status === 200 || s.status === 206) && Array.isArray(s.json)) {
              for (const row of s.json as NoteRow[]) assert.equal(row.__owner, me[role], `${role} ${method} touched ${JSON.stringify(row)} via ${path}`);
            }
            assert.equal(await othersHash(me[role]), untouched.get(role), `${role} ${method} changed someone else’s notes via ${path}`);
          } finally {
            if (s.status < 300) {
              await db.query('begin; delete from public.conf_notes; insert into public.conf_notes select * from notes_snapshot; insert into public.conf_note_tags select * from note_tags_snapshot; commit');
            }
          }
        }),
        { ...params, numRuns: Math.round(RUNS * 0.3) },
      );
    } finally {
      await db.end();
    }
  });
});
