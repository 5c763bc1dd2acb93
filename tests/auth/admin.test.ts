// The service-role admin API through supabase-js's auth.admin: users CRUD, list pagination
// (X-Total-Count and Link headers), generate_link for every type, invite; refused to non-admins.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll as after, describe, test } from 'vitest';
import pg from 'pg';
import { env } from '../support/env.ts';
import { adminClient, anonClient, authFetch, clickLink, fragmentParams, jwtClaims, latestMail, PASSWORD, randomIp, uniqueEmail } from './helpers.ts';

const ip = randomIp();
const admin = adminClient(ip);
const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
after(() => db.end());

describe('non-admins', () => {
  test('the anon key: 403 not_admin; a user token: 403 not_admin; no token: 401', async () => {
    const anon = anonClient(ip);
    const { data, error } = await anon.auth.admin.listUsers();
    assert.deepEqual(data, { users: [] });
    assert.equal(error?.code, 'not_admin');
    assert.equal(error?.status, 403);
    assert.equal(error?.message, 'User not allowed');

    const email = uniqueEmail('plain');
    await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const signedIn = await anon.auth.signInWithPassword({ email, password: PASSWORD });
    for (const [method, path] of [
      ['GET', '/admin/users'],
      ['POST', '/admin/users'],
      ['GET', `/admin/users/${signedIn.data.user!.id}`],
      ['DELETE', `/admin/users/${signedIn.data.user!.id}`],
      ['POST', '/admin/generate_link'],
      ['POST', '/invite'],
    ] as const) {
      const r = await authFetch(path, { method, bearer: signedIn.data.session!.access_token, ip, rawBody: method === 'GET' ? undefined : '{}' });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.deepEqual(r.body, { code: 403, error_code: 'not_admin', msg: 'User not allowed' });
    }
    const none = await fetch(`${env.SUPABASE_URL}/auth/v1/admin/users`, { headers: { apikey: env.ANON_KEY } });
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a valid Bearer token' });
  });
});

describe('users CRUD', () => {
  test('create, get, update, delete', async () => {
    const email = uniqueEmail('crud');
    const id = randomUUID();
    const created = await admin.auth.admin.createUser({
      id,
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { name: 'Lin' },
      app_metadata: { org: 'acme' },
    } as never);
    assert.equal(created.error, null);
    const u = created.data.user!;
    assert.deepEqual(created.data, {
      user: {
        id,
        aud: 'authenticated',
        role: 'authenticated',
        email,
        email_confirmed_at: u.email_confirmed_at,
        phone: '',
        confirmed_at: u.email_confirmed_at,
        app_metadata: { org: 'acme', provider: 'email', providers: ['email'] },
        user_metadata: { email_verified: true, name: 'Lin' },
        identities: [
          {
            identity_id: u.identities![0]!.identity_id,
            id,
            user_id: id,
            identity_data: { email, email_verified: false, phone_verified: false, sub: id },
            provider: 'email',
            last_sign_in_at: u.identities![0]!.last_sign_in_at,
            created_at: u.identities![0]!.created_at,
            updated_at: u.identities![0]!.updated_at,
            email,
          },
        ],
        created_at: u.created_at,
        updated_at: u.updated_at,
        is_anonymous: false,
      },
    });
    const [row] = (await db.query<{ pw: string }>('select encrypted_password as pw from auth.users where id = $1', [id])).rows;
    assert.match(row!.pw, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);

    const dup = await admin.auth.admin.createUser({ email, password: PASSWORD });
    assert.deepEqual(dup.data, { user: null });
    assert.equal(dup.error?.code, 'email_exists');
    assert.equal(dup.error?.status, 422);
    assert.equal(dup.error?.message, 'A user with this email address has already been registered');

    const got = await admin.auth.admin.getUserById(id);
    assert.deepEqual(got, { data: { user: created.data.user }, error: null });

    const updated = await admin.auth.admin.updateUserById(id, {
      user_metadata: { name: 'Lin Y', name2: null },
      app_metadata: { role: 'teacher' },
      password: 'Admin-set-pass-1',
      ban_duration: '1h',
    } as never);
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data.user!.user_metadata, { email_verified: true, name: 'Lin Y' });
    assert.deepEqual(updated.data.user!.app_metadata, { org: 'acme', provider: 'email', providers: ['email'], role: 'teacher' });
    assert.ok(Date.parse(updated.data.user!.banned_until!) > Date.now() + 3500_000);
    const banned = await anonClient(ip).auth.signInWithPassword({ email, password: 'Admin-set-pass-1' });
    assert.equal(banned.error?.code, 'user_banned');
    const unbanned = await admin.auth.admin.updateUserById(id, { ban_duration: 'none' });
    assert.equal(unbanned.data.user!.banned_until, undefined);
    assert.equal((await anonClient(ip).auth.signInWithPassword({ email, password: 'Admin-set-pass-1' })).error, null);

    const weak = await admin.auth.admin.updateUserById(id, { password: 'weak' });
    assert.equal(weak.error?.code, 'weak_password');

    // supabase-js reads the user before the DELETE (which answers {}) and returns it.
    const before = await admin.auth.admin.getUserById(id);
    assert.deepEqual(await admin.auth.admin.deleteUser(id), before);
    const raw = await authFetch(`/admin/users/${id}`, { method: 'DELETE', bearer: env.SERVICE_ROLE_KEY, ip });
    assert.equal(raw.status, 404);
    const missing = await admin.auth.admin.getUserById(id);
    assert.equal(missing.error?.code, 'user_not_found');
    assert.equal(missing.error?.status, 404);
    assert.equal(missing.error?.message, 'User not found');
    const bad = await authFetch('/admin/users/not-a-uuid', { bearer: env.SERVICE_ROLE_KEY, ip });
    assert.deepEqual(bad.body, { code: 404, error_code: 'validation_failed', msg: 'user_id must be an UUID' });
  });

  test('soft delete obfuscates the user and ends its sessions', async () => {
    const email = uniqueEmail('soft');
    const { data } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const id = data.user!.id;
    const session = (await anonClient(ip).auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    assert.equal((await admin.auth.admin.deleteUser(id, true)).error, null);
    const got = await admin.auth.admin.getUserById(id);
    assert.notEqual(got.data.user!.email, email);
    assert.ok(got.data.user!.deleted_at);
    assert.deepEqual(got.data.user!.user_metadata, {});
    assert.equal((await anonClient(ip).auth.getUser(session.access_token)).error?.name, 'AuthSessionMissingError');
  });

  test('create without email or phone, or with both password and hash: 400', async () => {
    const none = await admin.auth.admin.createUser({ user_metadata: {} });
    assert.equal(none.error?.code, 'validation_failed');
    assert.equal(none.error?.message, 'Cannot create a user without either an email or phone');
    const both = await admin.auth.admin.createUser({ email: uniqueEmail('h'), password: PASSWORD, password_hash: '$2a$10$abc' } as never);
    assert.equal(both.error?.message, 'Only a password or a password hash should be provided');
  });

  test('a bcrypt password_hash (e.g. pgcrypto’s) is taken as is and signs in', async () => {
    const email = uniqueEmail('hash');
    const [{ hash }] = (await db.query<{ hash: string }>("select extensions.crypt($1, extensions.gen_salt('bf')) as hash", ['Imported-pass-5'])).rows as [{ hash: string }];
    const { error } = await admin.auth.admin.createUser({ email, password_hash: hash, email_confirm: true } as never);
    assert.equal(error, null);
    assert.equal((await anonClient(ip).auth.signInWithPassword({ email, password: 'Imported-pass-5' })).error, null);
  });
});

describe('list users', () => {
  test('pagination with X-Total-Count and Link, parsed by supabase-js', async () => {
    for (let i = 0; i < 3; i++) await admin.auth.admin.createUser({ email: uniqueEmail(`page${i}`), password: PASSWORD });
    const [{ count }] = (await db.query<{ count: string }>("select count(*) from auth.users where aud = 'authenticated'")).rows as [{ count: string }];
    const total = Number(count);
    const perPage = 2;
    const lastPage = Math.ceil(total / perPage);

    const raw = await authFetch(`/admin/users?page=1&per_page=${perPage}`, { bearer: env.SERVICE_ROLE_KEY, ip });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('x-total-count'), String(total));
    assert.equal(
      raw.headers.get('link'),
      `</admin/users?page=2&per_page=${perPage}>; rel="next", </admin/users?page=${lastPage}&per_page=${perPage}>; rel="last"`,
    );
    const body = raw.body as { users: { created_at: string }[]; aud: string };
    assert.equal(body.aud, 'authenticated');
    assert.equal(body.users.length, perPage);
    assert.ok(body.users[0]!.created_at >= body.users[1]!.created_at, 'newest first');

    const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage });
    assert.equal(error, null);
    assert.equal(data.users.length, perPage);
    assert.equal(data.aud, 'authenticated');
    assert.equal(data.total, total);
    assert.equal(data.nextPage, 2);
    assert.equal(data.lastPage, Number(String(lastPage)[0]));

    const last = await authFetch(`/admin/users?page=${lastPage}&per_page=${perPage}`, { bearer: env.SERVICE_ROLE_KEY, ip });
    assert.equal(last.headers.get('link'), `</admin/users?page=${lastPage}&per_page=${perPage}>; rel="last"`);

    const bad = await authFetch('/admin/users?page=x', { bearer: env.SERVICE_ROLE_KEY, ip });
    assert.deepEqual(bad.body, { code: 400, error_code: 'validation_failed', msg: 'Bad Pagination Parameters: strconv.ParseUint: parsing "x": invalid syntax' });
  });
});

describe('generate_link', () => {
  test('signup: creates the user, returns the link properties and verifies', async () => {
    const email = uniqueEmail('gen-signup');
    const { data, error } = await admin.auth.admin.generateLink({ type: 'signup', email, password: PASSWORD, options: { data: { a: 1 } } });
    assert.equal(error, null);
    const p = data.properties!;
    assert.equal(p.verification_type, 'signup');
    assert.equal(p.redirect_to, 'http://127.0.0.1:5173');
    assert.match(p.email_otp, /^\d{6}$/);
    assert.equal(p.action_link, `${env.SUPABASE_URL}/auth/v1/verify?token=${p.hashed_token}&type=signup&redirect_to=http://127.0.0.1:5173`);
    assert.equal(data.user!.email, email);
    assert.equal(data.user!.user_metadata.a, 1);
    const v = await anonClient(ip).auth.verifyOtp({ token_hash: p.hashed_token, type: 'signup' });
    assert.equal(v.error, null);
    assert.equal(v.data.user!.email, email);
  });

  test('magiclink (new user becomes signup), recovery, invite', async () => {
    const fresh = uniqueEmail('gen-magic-new');
    const m = await admin.auth.admin.generateLink({ type: 'magiclink', email: fresh });
    assert.equal(m.data.properties!.verification_type, 'signup');

    const email = uniqueEmail('gen-existing');
    await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const magic = await admin.auth.admin.generateLink({ type: 'magiclink', email });
    assert.equal(magic.data.properties!.verification_type, 'magiclink');
    const { location } = await clickLink(magic.data.properties!.action_link);
    assert.equal(jwtClaims(fragmentParams(location).access_token!).email, email);

    const recovery = await admin.auth.admin.generateLink({ type: 'recovery', email, options: { redirectTo: 'http://127.0.0.1:5173/reset' } });
    assert.equal(recovery.data.properties!.redirect_to, 'http://127.0.0.1:5173/reset');
    const byOtp = await anonClient(ip).auth.verifyOtp({ email, token: recovery.data.properties!.email_otp, type: 'recovery' });
    assert.equal(byOtp.error, null);

    const missing = await admin.auth.admin.generateLink({ type: 'recovery', email: uniqueEmail('gen-none') });
    assert.equal(missing.error?.code, 'user_not_found');
    assert.equal(missing.error?.status, 404);

    const invited = uniqueEmail('gen-invite');
    const inv = await admin.auth.admin.generateLink({ type: 'invite', email: invited });
    assert.equal(inv.error, null);
    assert.ok(inv.data.user!.invited_at);
    const accepted = await clickLink(inv.data.properties!.action_link);
    assert.equal(fragmentParams(accepted.location).type, 'invite');
  });

  test('email_change_current and email_change_new: both verified switch the address', async () => {
    const email = uniqueEmail('gen-change');
    const next = uniqueEmail('gen-changed');
    await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const cur = await admin.auth.admin.generateLink({ type: 'email_change_current', email, newEmail: next });
    assert.equal(cur.error, null);
    assert.equal(cur.data.user!.new_email, next);
    const nw = await admin.auth.admin.generateLink({ type: 'email_change_new', email, newEmail: next });
    const first = await clickLink(cur.data.properties!.action_link);
    assert.equal(fragmentParams(first.location).message, 'Confirmation link accepted. Please proceed to confirm link sent to the other email');
    const second = await clickLink(nw.data.properties!.action_link);
    assert.equal(jwtClaims(fragmentParams(second.location).access_token!).email, next);
  });

  test('an unknown type: 400', async () => {
    const r = await authFetch('/admin/generate_link', { body: { type: 'bogus', email: uniqueEmail('g') }, bearer: env.SERVICE_ROLE_KEY, ip });
    assert.deepEqual(r.body, { code: 400, error_code: 'validation_failed', msg: 'Invalid email action link type requested: bogus' });
  });
});

describe('invite', () => {
  test('inviteUserByEmail sends the invite; the link signs the new user in', async () => {
    const email = uniqueEmail('invite');
    const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { data: { team: 'blue' } });
    assert.equal(error, null);
    assert.equal(data.user!.email, email);
    assert.ok(data.user!.invited_at);
    const mail = await latestMail(email, 'invite');
    assert.equal(mail.subject, "You've been invited");
    const { location } = await clickLink(mail.action_link!);
    const f = fragmentParams(location);
    assert.equal(f.type, 'invite');
    const user = (await anonClient(ip).auth.getUser(f.access_token)).data.user!;
    assert.equal(user.user_metadata.team, 'blue');
    assert.ok(user.email_confirmed_at);
    const again = await admin.auth.admin.inviteUserByEmail(email);
    assert.equal(again.error?.code, 'email_exists');
  });
});

describe('raw DELETE', () => {
  test('answers {} with or without a body', async () => {
    for (const rawBody of [undefined, '{"should_soft_delete":false}']) {
      const { data } = await admin.auth.admin.createUser({ email: uniqueEmail('del'), password: PASSWORD });
      const r = await authFetch(`/admin/users/${data.user!.id}`, { method: 'DELETE', rawBody, bearer: env.SERVICE_ROLE_KEY, ip });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {});
    }
  });
});
