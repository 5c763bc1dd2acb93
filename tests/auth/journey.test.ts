// The account journey through supabase-js, as an app lives it: sign-up → confirmation email in
// the mail sink → verify → sign-in → refresh (rotation) → update user (data, password, email)
// → sign-out scopes; and what each step leaves in the auth schema.
import assert from 'node:assert/strict';
import { afterAll as after, describe, test } from 'vitest';
import type { Session, User } from '@supabase/supabase-js';
import pg from 'pg';
import { env } from '../support/env.ts';
import { anonClient, authFetch, clickLink, fragmentParams, jwtClaims, latestMail, mailbox, PASSWORD, randomIp, sleep, uniqueEmail } from './helpers.ts';

const ip = randomIp();
const db = new pg.Pool({ connectionString: env.DB_URL, max: 2 });
after(() => db.end());

async function rows<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, values)).rows;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

describe('sign-up with confirmations on', () => {
  const email = uniqueEmail('journey');
  const client = anonClient(ip);
  let user: User;
  let session: Session;

  test('signUp answers the unconfirmed user, no session', async () => {
    const { data, error } = await client.auth.signUp({ email, password: PASSWORD, options: { data: { display_name: 'Ada' } } });
    assert.equal(error, null);
    user = data.user!;
    const identity = user.identities![0]!;
    assert.deepEqual(data, {
      session: null,
      user: {
        id: user.id,
        aud: 'authenticated',
        role: 'authenticated',
        email,
        phone: '',
        confirmation_sent_at: user.confirmation_sent_at,
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: { sub: user.id, email, email_verified: false, phone_verified: false, display_name: 'Ada' },
        identities: [
          {
            identity_id: identity.identity_id,
            id: user.id,
            user_id: user.id,
            identity_data: { sub: user.id, email, email_verified: false, phone_verified: false, display_name: 'Ada' },
            provider: 'email',
            last_sign_in_at: identity.last_sign_in_at,
            created_at: identity.created_at,
            updated_at: identity.updated_at,
            email,
          },
        ],
        created_at: user.created_at,
        updated_at: user.updated_at,
        is_anonymous: false,
      },
    });
    assert.match(user.confirmation_sent_at!, ISO);
    assert.match(user.created_at, ISO);
  });

  test('the confirmation email is in the mail sink, its hash stored as GoTrue stores it', async () => {
    const mail = await latestMail(email, 'signup');
    assert.equal(mail.subject, 'Confirm your email address');
    assert.match(mail.otp!, /^\d{6}$/);
    assert.equal(
      mail.action_link,
      `${env.SUPABASE_URL}/auth/v1/verify?token=${mail.token_hash}&type=signup&redirect_to=http://127.0.0.1:5173`,
    );
    assert.ok(mail.html.includes(mail.action_link!.replaceAll('&', '&amp;')));
    const [row] = await rows<{ confirmation_token: string; hash: string; ott: string; relates_to: string }>(
      `select u.confirmation_token, encode(sha224(convert_to(u.email || $2, 'UTF8')), 'hex') as hash, o.token_hash as ott, o.relates_to
         from auth.users u join auth.one_time_tokens o on o.user_id = u.id and o.token_type = 'confirmation_token' where u.id = $1`,
      [user.id, mail.otp],
    );
    assert.deepEqual(row, { confirmation_token: mail.token_hash, hash: mail.token_hash, ott: mail.token_hash, relates_to: email });
  });

  test('signing in before confirming: email_not_confirmed', async () => {
    const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.name, 'AuthApiError');
    assert.equal(error?.code, 'email_not_confirmed');
    assert.equal(error?.status, 400);
    assert.equal(error?.message, 'Email not confirmed');
  });

  test('clicking the link confirms and redirects with a session in the fragment', async () => {
    const mail = await latestMail(email, 'signup');
    const { status, location } = await clickLink(mail.action_link!);
    assert.equal(status, 303);
    assert.ok(location.startsWith('http://127.0.0.1:5173#access_token='), location);
    const f = fragmentParams(location);
    assert.deepEqual(Object.keys(f), ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'sb', 'token_type', 'type']);
    assert.equal(f.token_type, 'bearer');
    assert.equal(f.type, 'signup');
    assert.equal(f.sb, '');
    assert.ok(['3599', '3600'].includes(f.expires_in!), 'jwt_expiry = 3600 (less the second that may have ticked)');
    assert.match(f.refresh_token!, /^[a-z2-7]{12}$/);
    const claims = jwtClaims(f.access_token!);
    // GoTrue's claims, plus `org_roles` from the project's custom access token hook (config.toml),
    // whose jsonb output fixes the order.
    assert.deepEqual(Object.keys(claims).sort(), [
      'aal', 'amr', 'app_metadata', 'aud', 'email', 'exp', 'iat', 'is_anonymous', 'iss', 'org_roles', 'phone', 'role', 'session_id', 'sub', 'user_metadata',
    ]);
    assert.deepEqual(claims.org_roles, {}, 'a new user belongs to no organisation');
    assert.equal(claims.iss, `${env.SUPABASE_URL}/auth/v1`);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.aud, 'authenticated');
    assert.equal(claims.role, 'authenticated');
    assert.equal(claims.email, email);
    assert.equal(claims.phone, '');
    assert.equal(claims.aal, 'aal1');
    assert.equal(claims.is_anonymous, false);
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ['otp']);
    assert.deepEqual(claims.user_metadata, { sub: user.id, email, email_verified: true, phone_verified: false, display_name: 'Ada' });
    const [dbUser] = await rows<{ confirmed: boolean; token: string; otts: string; sessions: string; identity_verified: boolean }>(
      `select u.email_confirmed_at is not null as confirmed, u.confirmation_token as token,
              (select count(*) from auth.one_time_tokens where user_id = u.id) as otts,
              (select count(*) from auth.sessions where user_id = u.id and id = $2) as sessions,
              (select (identity_data->>'email_verified')::boolean from auth.identities where user_id = u.id) as identity_verified
         from auth.users u where u.id = $1`,
      [user.id, claims.session_id],
    );
    assert.deepEqual(dbUser, { confirmed: true, token: '', otts: '0', sessions: '1', identity_verified: true });
  });

  test('the link works once: the second click redirects with otp_expired', async () => {
    const mail = await latestMail(email, 'signup');
    const { status, location } = await clickLink(mail.action_link!);
    assert.equal(status, 303);
    assert.deepEqual(fragmentParams(location), {
      error: 'access_denied',
      error_code: 'otp_expired',
      error_description: 'Email link is invalid or has expired',
      sb: '',
    });
    assert.ok(location.startsWith('http://127.0.0.1:5173#'));
  });

  test('signInWithPassword answers a session; last_sign_in_at and the session rows are written', async () => {
    const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(error, null);
    session = data.session!;
    assert.deepEqual(Object.keys(data).sort(), ['session', 'user']);
    assert.equal(data.user!.id, user.id);
    assert.match(data.user!.last_sign_in_at!, ISO);
    assert.match(data.user!.email_confirmed_at!, ISO);
    assert.equal(data.user!.confirmed_at, data.user!.email_confirmed_at);
    assert.equal(session.token_type, 'bearer');
    assert.ok(session.expires_in === 3600 || session.expires_in === 3599);
    assert.equal(session.expires_at, (jwtClaims(session.access_token).exp as number));
    assert.deepEqual(session.user, data.user);
    const claims = jwtClaims(session.access_token);
    assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ['password']);
    const [s] = await rows<{ aal: string; user_agent: string | null; ip: string; rt: string; revoked: boolean; parent: string | null }>(
      `select s.aal::text, s.user_agent, host(s.ip) as ip, r.token as rt, r.revoked, r.parent
         from auth.sessions s join auth.refresh_tokens r on r.session_id = s.id where s.id = $1`,
      [claims.session_id],
    );
    assert.deepEqual(s, { aal: 'aal1', user_agent: s!.user_agent, ip, rt: session.refresh_token, revoked: false, parent: null });
    const actions = await rows<{ action: string }>(
      `select payload->>'action' as action from auth.audit_log_entries where payload->>'actor_id' = $1 order by created_at`,
      [user.id],
    );
    assert.deepEqual(
      actions.map((a) => a.action),
      ['user_confirmation_requested', 'user_signedup', 'login'],
    );
  });

  test('a wrong password is invalid_credentials, with the legacy body when no API version is sent', async () => {
    const { data, error } = await client.auth.signInWithPassword({ email, password: 'Wrong-password-1' });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.code, 'invalid_credentials');
    assert.equal(error?.message, 'Invalid login credentials');
    const raw = await authFetch('/token?grant_type=password', { body: { email, password: 'Wrong-password-1' }, ip });
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.body, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    assert.equal(raw.headers.get('x-sb-error-code'), 'invalid_credentials');
    assert.equal(raw.headers.get('x-supabase-api-version'), null);
  });

  test('refresh rotates the token; the old one is revoked and parents the new one', async () => {
    const { data, error } = await client.auth.refreshSession({ refresh_token: session.refresh_token });
    assert.equal(error, null);
    const next = data.session!;
    assert.notEqual(next.refresh_token, session.refresh_token);
    assert.ok((jwtClaims(next.access_token).iat as number) >= (jwtClaims(session.access_token).iat as number));
    assert.equal(jwtClaims(next.access_token).session_id, jwtClaims(session.access_token).session_id);
    assert.deepEqual((jwtClaims(next.access_token).amr as { method: string }[]).map((a) => a.method), ['password']);
    const tokens = await rows<{ token: string; revoked: boolean; parent: string | null }>(
      'select token, revoked, parent from auth.refresh_tokens where session_id = $1 order by id',
      [jwtClaims(session.access_token).session_id],
    );
    assert.deepEqual(tokens, [
      { token: session.refresh_token, revoked: true, parent: null },
      { token: next.refresh_token, revoked: false, parent: session.refresh_token },
    ]);
    const [s] = await rows<{ refreshed: boolean }>('select refreshed_at is not null as refreshed from auth.sessions where id = $1', [
      jwtClaims(session.access_token).session_id,
    ]);
    assert.deepEqual(s, { refreshed: true });

    // Reusing the previous token within the reuse interval (the client lost the answer) hands
    // back the live token rather than failing.
    const again = await client.auth.refreshSession({ refresh_token: session.refresh_token });
    assert.equal(again.error, null);
    assert.equal(again.data.session!.refresh_token, next.refresh_token);
    session = next;
  });

  test('an unknown refresh token is refresh_token_not_found', async () => {
    const { data, error } = await client.auth.refreshSession({ refresh_token: 'aaaaaaaaaaaa' });
    assert.deepEqual(data, { user: null, session: null });
    assert.equal(error?.code, 'refresh_token_not_found');
    assert.equal(error?.status, 400);
    assert.equal(error?.message, 'Invalid Refresh Token: Refresh Token Not Found');
  });

  test('updateUser merges data; null removes a key', async () => {
    const { error: setError } = await client.auth.setSession(session);
    assert.equal(setError, null);
    const { data, error } = await client.auth.updateUser({ data: { display_name: 'Grace', theme: 'dark' } });
    assert.equal(error, null);
    assert.deepEqual(data.user!.user_metadata, { sub: user.id, email, email_verified: true, phone_verified: false, display_name: 'Grace', theme: 'dark' });
    const removed = await client.auth.updateUser({ data: { theme: null } });
    assert.deepEqual(removed.data.user!.user_metadata, { sub: user.id, email, email_verified: true, phone_verified: false, display_name: 'Grace' });
    const fetched = await client.auth.getUser();
    assert.equal(fetched.error, null);
    assert.deepEqual(fetched.data.user, removed.data.user);
  });

  test('updateUser password: policy, same_password, and the other sessions end', async () => {
    const other = anonClient(ip);
    const second = await other.auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(second.error, null);

    const weak = await client.auth.updateUser({ password: 'short' });
    assert.equal(weak.error?.name, 'AuthWeakPasswordError');
    assert.equal(weak.error?.code, 'weak_password');
    assert.equal(weak.error?.status, 422);
    assert.deepEqual((weak.error as unknown as { reasons: string[] }).reasons, ['length', 'characters']);

    const same = await client.auth.updateUser({ password: PASSWORD });
    assert.equal(same.error?.code, 'same_password');
    assert.equal(same.error?.status, 422);
    assert.equal(same.error?.message, 'New password should be different from the old password.');

    const changed = await client.auth.updateUser({ password: 'Another-secret-7' });
    assert.equal(changed.error, null);
    assert.equal(changed.data.user!.id, user.id);

    // This session survives; the other one is gone.
    assert.equal((await client.auth.getUser()).error, null);
    const stale = await other.auth.getUser(second.data.session!.access_token);
    assert.equal(stale.error?.name, 'AuthSessionMissingError');

    assert.equal((await anonClient(ip).auth.signInWithPassword({ email, password: PASSWORD })).error?.code, 'invalid_credentials');
    assert.equal((await anonClient(ip).auth.signInWithPassword({ email, password: 'Another-secret-7' })).error, null);
  });

  test('email change: codes to both addresses (double_confirm_changes), both needed', async () => {
    const newEmail = uniqueEmail('journey-new');
    const { data, error } = await client.auth.updateUser({ email: newEmail });
    assert.equal(error, null);
    assert.equal(data.user!.email, email);
    assert.equal(data.user!.new_email, newEmail);
    assert.match(data.user!.email_change_sent_at!, ISO);

    const toNew = await latestMail(newEmail, 'email_change');
    const toOld = await latestMail(email, 'email_change');
    assert.equal(toNew.subject, 'Confirm your new email address');
    assert.ok(toNew.html.includes(newEmail));
    assert.notEqual(toNew.otp, toOld.otp);

    // First code (to the current address): accepted, nothing changes yet.
    const first = await client.auth.verifyOtp({ email, token: toOld.otp!, type: 'email_change' });
    assert.deepEqual(first, { data: { user: null, session: null }, error: null });
    const raw = await authFetch('/user', { bearer: (await client.auth.getSession()).data.session!.access_token });
    assert.equal((raw.body as { email: string }).email, email);

    // Second (the link to the new address): the address switches; a session comes back.
    const { status, location } = await clickLink(toNew.action_link!);
    assert.equal(status, 303);
    const f = fragmentParams(location);
    assert.equal(f.type, 'email_change');
    const claims = jwtClaims(f.access_token!);
    assert.equal(claims.email, newEmail);
    const after = await client.auth.getUser(f.access_token);
    assert.equal(after.data.user!.email, newEmail);
    assert.equal(after.data.user!.new_email, undefined);
    assert.equal((after.data.user!.identities![0] as unknown as { email: string }).email, newEmail);
    assert.equal(after.data.user!.identities![0]!.identity_data!.email, newEmail);
  });

  test('sign-out scopes: others, local, global — 204 and session_not_found afterwards', async () => {
    const me = (await client.auth.getUser()).data.user!;
    const login = async () => {
      const c = anonClient(ip);
      const r = await c.auth.signInWithPassword({ email: me.email!, password: 'Another-secret-7' });
      assert.equal(r.error, null);
      return { c, token: r.data.session!.access_token };
    };
    const a = await login();
    const b = await login();
    const cc = await login();
    const alive = async (token: string) => (await anonClient(ip).auth.getUser(token)).error === null;

    const raw = await authFetch('/logout?scope=bogus', { method: 'POST', bearer: a.token, ip });
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.body, { code: 400, error_code: 'validation_failed', msg: 'Unsupported logout scope "bogus"' });

    assert.deepEqual(await a.c.auth.signOut({ scope: 'others' }), { error: null });
    assert.deepEqual([await alive(a.token), await alive(b.token), await alive(cc.token)], [true, false, false]);

    const local = await authFetch('/logout?scope=local', { method: 'POST', bearer: a.token, ip });
    assert.equal(local.status, 204);
    assert.equal(local.text, '');
    assert.equal(await alive(a.token), false);
    const gone = await authFetch('/user', { bearer: a.token, ip, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    assert.equal(gone.status, 403);
    assert.deepEqual(gone.body, { code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' });
    assert.equal(gone.headers.get('x-supabase-api-version'), '2024-01-01');

    const d = await login();
    const e = await login();
    assert.deepEqual(await d.c.auth.signOut(), { error: null });
    assert.deepEqual([await alive(d.token), await alive(e.token)], [false, false]);
    const [{ count }] = (await rows<{ count: string }>('select count(*) from auth.sessions where user_id = $1', [me.id])) as [{ count: string }];
    assert.equal(count, '0');
  });
});

describe('repeated sign-up', () => {
  test('of an unconfirmed address sends the confirmation again, honouring max_frequency', async () => {
    const email = uniqueEmail('repeat');
    const client = anonClient(ip);
    const first = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(first.error, null);
    const again = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(again.error?.code, 'over_email_send_rate_limit');
    assert.equal(again.error?.status, 429);
    assert.match(again.error!.message, /^For security purposes, you can only request this after \d+ seconds\.$/);
    await sleep(1100);
    const third = await client.auth.signUp({ email, password: PASSWORD });
    assert.equal(third.error, null);
    assert.equal(third.data.user!.id, first.data.user!.id);
    assert.equal((await mailbox(email)).length, 2);
  });

  test('of a confirmed address answers an obfuscated user and sends nothing', async () => {
    const email = uniqueEmail('taken');
    const client = anonClient(ip);
    const first = await client.auth.signUp({ email, password: PASSWORD });
    const link = (await latestMail(email, 'signup')).action_link!;
    assert.equal((await clickLink(link)).status, 303);
    const { data, error } = await client.auth.signUp({ email, password: 'Other-password-9', options: { data: { x: 1 } } });
    assert.equal(error, null);
    assert.equal(data.session, null);
    const fake = data.user!;
    assert.notEqual(fake.id, first.data.user!.id);
    assert.deepEqual(
      { ...fake, id: 'ID', created_at: 'T', updated_at: 'T', confirmation_sent_at: 'T' },
      {
        id: 'ID',
        aud: 'authenticated',
        role: '',
        email,
        phone: '',
        confirmation_sent_at: 'T',
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: { x: 1 },
        identities: [],
        created_at: 'T',
        updated_at: 'T',
        is_anonymous: false,
      },
    );
    assert.equal((await mailbox(email)).length, 1);
  });
});
