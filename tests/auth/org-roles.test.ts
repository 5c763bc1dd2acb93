// The project's own Custom Access Token hook (public.custom_access_token_hook, enabled in
// config.toml) through the stack's auth: a member's access token carries their organisation roles.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { PASSWORD, adminClient, anonClient, jwtClaims, randomIp, uniqueEmail } from './helpers.ts';

const ip = randomIp();
const db = new pg.Client({ connectionString: env.DB_URL });
before(() => db.connect());
after(() => db.end());

test('a member signs in with org_roles = {organization id: role}; a role change shows on refresh', async () => {
  const email = uniqueEmail('org-member');
  const created = await adminClient(ip).auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assert.equal(created.error, null);
  const userId = created.data.user!.id;
  const slug = `org-${userId.slice(0, 8)}`;
  const { rows } = await db.query<{ id: string }>('insert into public.organizations (slug, name) values ($1, $2) returning id', [slug, 'Hook Test Org']);
  const orgId = rows[0]!.id;
  await db.query("insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'instructor')", [orgId, userId]);

  const client = anonClient(ip);
  const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signedIn.error, null);
  assert.deepEqual(jwtClaims(signedIn.data.session!.access_token).org_roles, { [orgId]: 'instructor' });

  await db.query("update public.organization_members set role = 'admin' where organization_id = $1 and user_id = $2", [orgId, userId]);
  const refreshed = await client.auth.refreshSession({ refresh_token: signedIn.data.session!.refresh_token });
  assert.equal(refreshed.error, null);
  assert.deepEqual(jwtClaims(refreshed.data.session!.access_token).org_roles, { [orgId]: 'admin' });

  await db.query('delete from public.organizations where id = $1', [orgId]);
});
