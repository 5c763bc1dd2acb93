// Fixtures of the storage conformance tests: buckets and per-user-folder RLS policies on
// storage.objects, created idempotently as `postgres` (as a migration would), users as minted
// JWTs (no dependency on the auth service), and supabase-js clients for each actor.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';

export const PRIVATE = 'st-private';
export const PUBLIC = 'st-public';
/** 1 KiB, images and plain text only. */
export const LIMITED = 'st-limited';
export const LIMIT_BYTES = 1024;
/** Raster images only (png, jpeg, webp), up to 2 KiB: an avatars-like bucket. */
export const RASTER = 'st-raster';
export const RASTER_LIMIT_BYTES = 2048;

const FIXTURE_SQL = `
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('${PRIVATE}', '${PRIVATE}', false, null, null),
  ('${PUBLIC}', '${PUBLIC}', true, null, null),
  ('${LIMITED}', '${LIMITED}', false, ${LIMIT_BYTES}, array['image/*', 'text/plain']),
  ('${RASTER}', '${RASTER}', true, ${RASTER_LIMIT_BYTES}, array['image/png', 'image/jpeg', 'image/webp'])
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

drop policy if exists storage_test_objects_select_own on storage.objects;
drop policy if exists storage_test_objects_insert_own on storage.objects;
drop policy if exists storage_test_objects_update_own on storage.objects;
drop policy if exists storage_test_objects_delete_own on storage.objects;

-- Each user owns the folder named after their id, in the test buckets.
create policy storage_test_objects_select_own on storage.objects for select to authenticated
  using (bucket_id in ('${PRIVATE}', '${PUBLIC}', '${LIMITED}', '${RASTER}') and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy storage_test_objects_insert_own on storage.objects for insert to authenticated
  with check (bucket_id in ('${PRIVATE}', '${PUBLIC}', '${LIMITED}', '${RASTER}') and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy storage_test_objects_update_own on storage.objects for update to authenticated
  using (bucket_id in ('${PRIVATE}', '${PUBLIC}', '${LIMITED}', '${RASTER}') and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id in ('${PRIVATE}', '${PUBLIC}', '${LIMITED}', '${RASTER}') and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy storage_test_objects_delete_own on storage.objects for delete to authenticated
  using (bucket_id in ('${PRIVATE}', '${PUBLIC}', '${LIMITED}', '${RASTER}') and (storage.foldername(name))[1] = (select auth.uid())::text);
`;

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: env.DB_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

let fixturesReady: Promise<void> | undefined;

/** Buckets and policies, once per process (each test file runs in its own process). */
export function setupFixtures(): Promise<void> {
  fixturesReady ??= (async () => {
    const client = new pg.Client({ connectionString: env.DB_URL });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(FIXTURE_SQL);
      await client.query('commit');
    } finally {
      await client.end();
    }
  })();
  return fixturesReady;
}

export function anonClient(): SupabaseClient {
  return testClient(env.ANON_KEY);
}

export function serviceClient(): SupabaseClient {
  return testClient(env.SERVICE_ROLE_KEY);
}

export interface TestUser {
  id: string;
  token: string;
  client: SupabaseClient;
}

/** A user as GoTrue would sign them in: an HS256 access token with Supabase's claims. */
export async function mintUser(): Promise<TestUser> {
  const id = randomUUID();
  const token = await accessToken({ sub: id });
  return { id, token, client: testClient(env.ANON_KEY, token) };
}

export async function objectRow(bucket: string, name: string): Promise<{ id: string; version: string; owner_id: string | null } | undefined> {
  const rows = await sql<{ id: string; version: string; owner_id: string | null }>(
    'select id, version, owner_id from storage.objects where bucket_id = $1 and name = $2',
    [bucket, name],
  );
  return rows[0];
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The stack's storage directory of the instance under test, when the runner names it. */
export function storageDir(): string | undefined {
  const name = process.env.STACK_INSTANCE;
  if (!name) return undefined;
  const dir = join(projectRoot, '.supabase', name, 'storage');
  return existsSync(dir) ? dir : undefined;
}

/** Every file under the storage directory, as paths relative to it. */
export function storageFiles(): string[] {
  const root = storageDir();
  if (!root) return [];
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(root, '');
  return out;
}

export const text = (s: string) => new TextEncoder().encode(s);
