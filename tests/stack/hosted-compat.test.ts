// The project's SQL (migrations, seed, pgTAP) uses nothing hosted Supabase refuses to `postgres`
// (platform contract §1.1, §1.4, §12). The local stack refuses most of these too, by the same
// privileges; this check also catches what it cannot (role commands fire no event triggers) and
// names the rule, so a test that passes here would pass on a hosted project.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { projectRoot } from './cli.ts';

/** Extensions `postgres` may create on hosted (trusted, or supautils.privileged_extensions). */
const HOSTED_EXTENSIONS = new Set([
  'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'earthdistance', 'fuzzystrmatch', 'hstore', 'http',
  'insert_username', 'intarray', 'isn', 'ltree', 'moddatetime', 'pg_cron', 'pg_graphql', 'pg_hashids',
  'pg_jsonschema', 'pg_net', 'pg_stat_statements', 'pg_trgm', 'pgaudit', 'pgcrypto', 'pgroonga', 'pgtap',
  'plpgsql_check', 'postgis', 'seg', 'supabase_vault', 'tablefunc', 'unaccent', 'uuid-ossp', 'vector',
]);

const MANAGED = '(?:auth|storage|realtime|cron|net|vault|supabase_functions|graphql|graphql_public|pgbouncer)';
const SERVICE_ROLES = '(?:supabase_admin|supabase_auth_admin|supabase_storage_admin|supabase_realtime_admin|supabase_functions_admin|authenticator|dashboard_user|pgbouncer)';
const RESERVED_ROLES = `(?:${SERVICE_ROLES.slice(3, -1)}|anon|authenticated|service_role|supabase_read_only_user|supabase_replication_admin)`;

const RULES: { name: string; pattern: RegExp }[] = [
  { name: 'postgres is not a member of the service roles (no SET ROLE to them)', pattern: new RegExp(`\\bset\\s+(?:local\\s+|session\\s+)?role\\s+"?${SERVICE_ROLES}\\b`, 'i') },
  { name: 'reserved roles cannot be altered (except pgrst.* settings)', pattern: new RegExp(`\\balter\\s+role\\s+"?${RESERVED_ROLES}"?\\s+(?!set\\s+"?pgrst\\.)`, 'i') },
  { name: 'reserved roles cannot be granted as memberships', pattern: new RegExp(`\\bgrant\\s+"?${RESERVED_ROLES}"?\\s+to\\b`, 'i') },
  { name: 'reserved roles cannot be created or dropped', pattern: new RegExp(`\\b(?:create|drop)\\s+role\\s+(?:if\\s+exists\\s+)?"?${RESERVED_ROLES}\\b`, 'i') },
  { name: 'no objects of our own in Supabase-managed schemas', pattern: new RegExp(`\\bcreate\\s+(?:or\\s+replace\\s+)?(?:function|procedure|table|view|materialized\\s+view|type|sequence|domain)\\s+(?:if\\s+not\\s+exists\\s+)?"?${MANAGED}"?\\.`, 'i') },
  { name: 'Supabase-managed tables cannot be altered, indexed or commented on', pattern: new RegExp(`\\b(?:alter\\s+table(?:\\s+only)?|create\\s+(?:unique\\s+)?index\\s+(?:concurrently\\s+)?(?:\\w+\\s+)?on|comment\\s+on\\s+(?:table|column|policy\\s+\\w+\\s+on))\\s+"?${MANAGED}"?\\.`, 'i') },
  { name: 'cron.job is written only through cron.schedule/unschedule', pattern: /\b(?:insert\s+into|update|delete\s+from)\s+cron\.job\b/i },
  { name: 'ALTER SYSTEM needs a superuser', pattern: /\balter\s+system\b/i },
];

/** The SQL outside comments and quoted bodies: what runs as top-level statements. */
function topLevelSql(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''") // dollar-quoted bodies (functions, throws_ok)
    .replace(/'(?:[^']|'')*'/g, "''") // string literals
    .replace(/--[^\n]*/g, '') // line comments
    .replace(/\/\*[\s\S]*?\*\//g, ''); // block comments
}

/** Each statement hosted would refuse to `postgres`, with the rule it breaks. */
function hostedViolations(sql: string): string[] {
  const code = topLevelSql(sql);
  const found = RULES.filter((r) => r.pattern.test(code)).map((r) => r.name);
  for (const m of code.matchAll(/\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?"?([\w-]+)"?/gi)) {
    const name = m[1]?.toLowerCase() ?? '';
    if (!HOSTED_EXTENSIONS.has(name)) found.push(`extension ${name} cannot be created by postgres on hosted`);
  }
  return found;
}

function projectSqlFiles(): string[] {
  const dir = (d: string) => readdirSync(join(projectRoot, d)).filter((f) => f.endsWith('.sql')).map((f) => join(d, f));
  return [...dir('supabase/migrations'), ...dir('supabase/tests'), 'supabase/seed.sql'];
}

describe('hosted compatibility of the project SQL', () => {
  test('each rule catches what hosted refuses, and not what it allows', () => {
    const refused = [
      'set local role supabase_auth_admin;',
      'alter role authenticated set statement_timeout = 0;',
      'grant authenticated to someone;',
      'create function auth.me() returns int language sql as $$ select 1 $$;',
      'alter table auth.users add column x int;',
      'create index on storage.objects (name);',
      'comment on policy p on storage.objects is $$x$$;',
      "insert into cron.job (schedule, command) values ('* * * * *', 'select 1');",
      'alter system set work_mem = 1;',
      'create extension pg_repack;',
    ];
    for (const sql of refused) assert.notDeepEqual(hostedViolations(sql), [], sql);
    const allowed = [
      'set local role authenticated;',
      'alter role authenticator set pgrst.db_plan_enabled = true;',
      'create policy p on storage.objects for select to authenticated using (true);',
      'create trigger t after insert on auth.users for each row execute function private.f();',
      'create extension if not exists pg_cron with schema pg_catalog;',
      "select throws_ok($$alter table auth.users add column x int$$, '42501');",
      '-- set local role supabase_auth_admin;',
      "select cron.schedule('job', '*/5 * * * *', 'select 1');",
    ];
    for (const sql of allowed) assert.deepEqual(hostedViolations(sql), [], sql);
  });

  for (const file of projectSqlFiles()) {
    test(file, () => {
      assert.deepEqual(hostedViolations(readFileSync(join(projectRoot, file), 'utf8')), []);
    });
  }
});
