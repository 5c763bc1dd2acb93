// Service-role endpoints: /admin/users (list with X-Total-Count and Link, create, get, update,
// delete), /admin/generate_link, /admin/audit and /invite (api/admin.go, api/mail.go,
// api/invite.go). Every route first requires an admin token: 401 without one, 403 not_admin.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { parseGoDuration } from '../config.ts';
import { sendInvite, updatePassword, validateEmail } from '../accounts.ts';
import { adminActor, audit, type Actor } from '../audit.ts';
import { requireAdmin } from '../authn.ts';
import { generateOtp, hashPassword, isBcryptHash, randomPassword, tokenHash } from '../crypto.ts';
import { NIL_UUID, rfc3339, UUID } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { AuthError, badRequest, ErrorCode, internal, notFound, unprocessable } from '../errors.ts';
import { bool, encodeGoValues, obj, optStr, readBody, referrer, requestAud, str, type Ctx } from '../http.ts';
import { checkPassword, MAX_PASSWORD_LENGTH } from '../password.ts';
import { validatePhone } from '../phone.ts';
import { deleteFactor, ownedFactor } from './factors.ts';
import {
  factorJson,
  baseIdentityData,
  confirmEmail,
  createIdentity,
  createOneTimeToken,
  findDuplicateEmail,
  findIdentity,
  findUserByEmail,
  findUserById,
  insertUser,
  NOW,
  reloadUser,
  updateAppMetadata,
  updateIdentityData,
  updateUser,
  updateUserMetadata,
  User,
  type IdentityRow,
  type UserRow,
} from '../users.ts';

const adminUserBody = z.object({
  id: str,
  aud: str,
  role: str,
  email: str,
  phone: str,
  password: optStr,
  password_hash: str,
  email_confirm: bool,
  phone_confirm: bool,
  user_metadata: obj,
  app_metadata: obj,
  ban_duration: str,
});

const generateLinkBody = z.object({ type: str, email: str, new_email: str, password: str, data: obj, redirect_to: str });
const inviteBody = z.object({ email: str, data: obj });
const deleteBody = z.object({ should_soft_delete: bool });

function banDuration(value: string): number | undefined {
  if (!value) return undefined;
  if (value === 'none') return 0;
  try {
    return parseGoDuration(value);
  } catch {
    throw badRequest(ErrorCode.validationFailed, `invalid format for ban duration: time: invalid duration "${value}"`);
  }
}

const bannedUntil = (ms: number) => (ms === 0 ? null : new Date(Date.now() + ms).toISOString());

/** Go's strconv.ParseUint, for the pagination parameters. */
function parseUint(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw badRequest(ErrorCode.validationFailed, `Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`);
  }
  return Number(raw);
}

async function loadUserParam(c: Ctx, deps: AuthDeps): Promise<User> {
  const id = c.req.param('user_id') ?? '';
  if (!UUID.test(id)) throw notFound(ErrorCode.validationFailed, 'user_id must be an UUID');
  const user = await findUserById(deps.db.query, id);
  if (!user) throw notFound(ErrorCode.userNotFound, 'User not found');
  return user;
}

const obfuscate = (id: string, value: string) => createHash('sha256').update(id + value).digest('base64url');

async function listUsers(c: Ctx, deps: AuthDeps): Promise<Response> {
  const aud = requestAud(c, deps.settings);
  const sort = c.req.queries('sort') ?? [];
  const order: string[] = [];
  for (const value of sort) {
    const [field, dir = 'desc'] = value.split(' ', 2);
    if (field !== 'created_at') throw badRequest(ErrorCode.validationFailed, `Bad Sort Parameters: bad field for sort '${field}'`);
    if (!['asc', 'desc'].includes(dir.toLowerCase())) {
      throw badRequest(ErrorCode.validationFailed, `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`);
    }
    order.push(`created_at ${dir.toLowerCase()}`);
  }
  if (!order.length) order.push('created_at desc');
  const page = Math.max(1, parseUint(c.req.query('page'), 1));
  let perPage = parseUint(c.req.query('per_page'), 50);
  if (perPage < 1) perPage = 20;
  const filter = c.req.query('filter') ?? '';

  const where = ['instance_id = $1', 'aud = $2'];
  const values: unknown[] = [NIL_UUID, aud];
  if (filter) {
    values.push(`%${filter}%`);
    where.push(`(email like $3 or raw_user_meta_data->>'full_name' ilike $3)`);
  }
  const q = deps.db.query;
  const [{ count }] = (await q<{ count: string }>(`select count(*) as count from auth.users where ${where.join(' and ')}`, values)) as [{ count: string }];
  const rows = await q<UserRow>(
    `select * from auth.users where ${where.join(' and ')} order by ${order.join(', ')}, id limit ${perPage} offset ${(page - 1) * perPage}`,
    values,
  );
  const ids = rows.map((r) => r.id);
  const identities = ids.length ? await q<IdentityRow>('select * from auth.identities where user_id = any($1::uuid[]) order by created_at, id', [ids]) : [];
  const users = rows.map((r) => new User(r, identities.filter((i) => i.user_id === r.id)).toJSON());

  const total = Number(count);
  const totalPages = Math.ceil(total / perPage);
  const params: Record<string, string> = {};
  for (const [k, v] of new URL(c.req.url).searchParams) params[k] ??= v;
  const link = (p: number) => `</admin/users?${encodeGoValues({ ...params, page: String(p) })}>`;
  let header = '';
  if (totalPages > page) header += `${link(page + 1)}; rel="next", `;
  header += `${link(totalPages)}; rel="last"`;
  c.header('Link', header);
  c.header('X-Total-Count', String(total));
  return c.json({ users, aud });
}

async function createUser(c: Ctx, deps: AuthDeps, actor: Actor): Promise<Response> {
  const p = await readBody(c, adminUserBody, 'api.AdminUserParams');
  const aud = p.aud || requestAud(c, deps.settings);
  if (!p.email && !p.phone) throw badRequest(ErrorCode.validationFailed, 'Cannot create a user without either an email or phone');
  const providers: string[] = [];
  let email = '';
  let phone = '';
  if (p.email) {
    email = validateEmail(p.email);
    if (await findDuplicateEmail(deps.db.query, email, aud)) {
      throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
    }
    providers.push('email');
  }
  if (p.phone) {
    phone = validatePhone(p.phone);
    const [dup] = await deps.db.query('select 1 from auth.users where instance_id = $1 and phone = $2 and aud = $3', [NIL_UUID, phone, aud]);
    if (dup) throw unprocessable(ErrorCode.phoneExists, 'Phone number already registered by another user');
    providers.push('phone');
  }
  if (p.password !== undefined && p.password_hash) {
    throw badRequest(ErrorCode.validationFailed, 'Only a password or a password hash should be provided');
  }
  let hash: string;
  if (p.password_hash) {
    if (!isBcryptHash(p.password_hash)) throw internal('Error creating user').withInternal('password_hash is not a bcrypt hash');
    hash = p.password_hash;
  } else {
    const password = p.password || randomPassword(64);
    if (Buffer.byteLength(password) > MAX_PASSWORD_LENGTH) {
      throw badRequest(ErrorCode.validationFailed, 'bcrypt: password length exceeds 72 bytes');
    }
    hash = await hashPassword(password);
  }
  let id: string | undefined;
  if (p.id) {
    if (!UUID.test(p.id)) throw badRequest(ErrorCode.validationFailed, 'ID must conform to the uuid v4 format');
    if (p.id === NIL_UUID) throw badRequest(ErrorCode.validationFailed, 'ID cannot be a nil uuid');
    id = p.id.toLowerCase();
  }
  const ban = banDuration(p.ban_duration);

  try {
    const user = await deps.db.tx(async (q) => {
      const u = await insertUser(q, {
        id,
        aud,
        role: '',
        email,
        phone,
        encryptedPassword: hash,
        appMetadata: { provider: providers[0], providers },
        userMetadata: p.user_metadata ?? {},
      });
      if (email) await createIdentity(q, u, 'email', baseIdentityData(u.id, { email }));
      if (phone) await createIdentity(q, u, 'phone', baseIdentityData(u.id, { phone }));
      await audit(q, actor, 'user_signedup', { user_id: u.id, user_email: email, user_phone: phone, provider: providers[0] });
      await updateUser(q, u, { role: p.role || 'authenticated' });
      if (p.app_metadata) await updateAppMetadata(q, u, p.app_metadata);
      if (p.email_confirm) await confirmEmail(q, u);
      if (p.phone_confirm) await updateUser(q, u, { phone_confirmed_at: NOW });
      if (ban !== undefined) await updateUser(q, u, { banned_until: bannedUntil(ban) });
      return reloadUser(q, u);
    });
    return c.json(user.toJSON());
  } catch (e) {
    if (e instanceof AuthError) throw e;
    throw internal('Database error creating new user').withInternal(e instanceof Error ? e.message : String(e));
  }
}

async function updateUserRoute(c: Ctx, deps: AuthDeps, actor: Actor): Promise<Response> {
  const user = await loadUserParam(c, deps);
  const p = await readBody(c, adminUserBody, 'api.AdminUserParams');
  const email = p.email ? validateEmail(p.email) : '';
  const phone = p.phone ? validatePhone(p.phone) : '';
  const ban = banDuration(p.ban_duration);
  let hash: string | undefined;
  if (p.password !== undefined) {
    checkPassword(p.password, deps.settings.password);
    hash = await hashPassword(p.password);
  }
  try {
    const updated = await deps.db.tx(async (q) => {
      if (p.role) await updateUser(q, user, { role: p.role.trim() });
      if (p.email_confirm) await confirmEmail(q, user);
      if (p.phone_confirm) await updateUser(q, user, { phone_confirmed_at: NOW });
      if (hash !== undefined) await updatePassword(q, user, hash, undefined);
      if (email) {
        const identity = await findIdentity(q, user.id, 'email');
        if (!identity) await createIdentity(q, user, 'email', baseIdentityData(user.id, { email, emailVerified: p.email_confirm }));
        else await updateIdentityData(q, identity, { email, email_verified: p.email_confirm });
        if (user.isAnonymous && p.email_confirm) await updateUser(q, user, { is_anonymous: false });
        await updateUser(q, user, { email });
      }
      if (phone) {
        const identity = await findIdentity(q, user.id, 'phone');
        if (!identity) await createIdentity(q, user, 'phone', baseIdentityData(user.id, { phone, phoneVerified: p.phone_confirm }));
        else await updateIdentityData(q, identity, { phone, phone_verified: p.phone_confirm });
        if (user.isAnonymous && p.phone_confirm) await updateUser(q, user, { is_anonymous: false });
        await updateUser(q, user, { phone });
      }
      if (p.app_metadata) await updateAppMetadata(q, user, p.app_metadata);
      if (p.user_metadata) await updateUserMetadata(q, user, p.user_metadata);
      if (ban !== undefined) await updateUser(q, user, { banned_until: bannedUntil(ban) });
      await audit(q, actor, 'user_modified', { user_id: user.id, user_email: user.email, user_phone: user.phone });
      return reloadUser(q, user);
    });
    return c.json(updated.toJSON());
  } catch (e) {
    if (e instanceof AuthError) throw e;
    throw internal('Error updating user').withInternal(e instanceof Error ? e.message : String(e));
  }
}

async function deleteUser(c: Ctx, deps: AuthDeps, actor: Actor): Promise<Response> {
  const user = await loadUserParam(c, deps);
  const text = await c.req.text();
  const params = text.trim() ? await readBody(c, deleteBody, 'api.adminUserDeleteParams') : { should_soft_delete: false };
  await deps.db.tx(async (q) => {
    await audit(q, actor, 'user_deleted', { user_id: user.id, user_email: user.email, user_phone: user.phone });
    if (!params.should_soft_delete) {
      await q('delete from auth.users where id = $1', [user.id]);
      return;
    }
    if (user.row.deleted_at !== null) return;
    const ob = (v: string) => (v ? obfuscate(user.id, v) : '');
    await updateUser(q, user, {
      email: user.email ? ob(user.email) : null,
      phone: user.phone ? ob(user.phone).slice(0, 15) : null,
      encrypted_password: null,
      email_change: ob(user.emailChange),
      phone_change: ob(user.row.phone_change ?? '').slice(0, 15),
      confirmation_token: '',
      recovery_token: '',
      email_change_token_current: '',
      email_change_token_new: '',
      phone_change_token: '',
      deleted_at: NOW,
      raw_user_meta_data: {},
      raw_app_meta_data: {},
    });
    await q('delete from auth.one_time_tokens where user_id = $1', [user.id]);
    for (const identity of user.identities) {
      await q("update auth.identities set identity_data = '{}'::jsonb, provider_id = $2 where id = $1", [
        identity.id,
        obfuscate(user.id, `${identity.provider}:${identity.provider_id}`),
      ]);
    }
    await q('delete from auth.mfa_factors where user_id = $1', [user.id]);
    await q('delete from auth.sessions where user_id = $1', [user.id]);
  });
  return c.json({});
}

type LinkType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change_current' | 'email_change_new';

async function generateLink(c: Ctx, deps: AuthDeps, actor: Actor): Promise<Response> {
  const p = await readBody(c, generateLinkBody, 'api.GenerateLinkParams');
  const s = deps.settings;
  const email = validateEmail(p.email);
  const redirectTo = referrer(c, s, p.redirect_to || undefined);
  const aud = requestAud(c, s);
  let type = p.type as LinkType;
  let password = p.password;
  const existing = await findUserByEmail(deps.db.query, email, aud);
  if (!existing) {
    if (type === 'magiclink') {
      type = 'signup';
      password = randomPassword(64, s.password.requiredCharacters);
    } else if (type === 'recovery' || type === 'email_change_current' || type === 'email_change_new') {
      throw notFound(ErrorCode.userNotFound, 'User with this email not found');
    }
  }
  const otp = generateOtp(s.email.otpLength);
  const hashed = tokenHash(email, otp);
  let signupHash: string | undefined;
  if (type === 'signup' && !existing) {
    if (!password) throw badRequest(ErrorCode.validationFailed, 'Signup requires a valid password');
    checkPassword(password, s.password);
    signupHash = await hashPassword(password);
  }

  const result = await deps.db.tx(async (q) => {
    let user = existing;
    const newUser = async (hash: string) => {
      const u = await insertUser(q, {
        aud,
        role: 'authenticated',
        email,
        encryptedPassword: hash,
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: p.data ?? {},
      });
      await createIdentity(q, u, 'email', baseIdentityData(u.id, { email }));
      return reloadUser(q, u);
    };
    let linkToken: string;
    switch (type) {
      case 'magiclink':
      case 'recovery': {
        const u = user!;
        await audit(q, u, 'user_recovery_requested');
        await updateUser(q, u, { recovery_token: hashed, recovery_sent_at: NOW });
        await createOneTimeToken(q, u.id, u.email, hashed, 'recovery_token');
        linkToken = hashed;
        break;
      }
      case 'invite': {
        if (user?.isConfirmed) throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
        user ??= await newUser('');
        await audit(q, actor, 'user_invited', { user_id: user.id, user_email: user.email });
        await updateUser(q, user, { confirmation_token: hashed, confirmation_sent_at: NOW, invited_at: NOW });
        await createOneTimeToken(q, user.id, user.email, hashed, 'confirmation_token');
        linkToken = hashed;
        break;
      }
      case 'signup': {
        if (user) {
          if (user.isConfirmed) throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
          await updateUserMetadata(q, user, p.data ?? {});
        } else {
          user = await newUser(signupHash!);
        }
        await updateUser(q, user, { confirmation_token: hashed, confirmation_sent_at: NOW });
        await createOneTimeToken(q, user.id, user.email, hashed, 'confirmation_token');
        linkToken = hashed;
        break;
      }
      case 'email_change_current':
      case 'email_change_new': {
        const u = user!;
        if (!s.email.secureEmailChange && type === 'email_change_current') {
          throw badRequest(ErrorCode.validationFailed, 'Enable secure email change to generate link for current email');
        }
        const newEmail = validateEmail(p.new_email);
        if (await findDuplicateEmail(q, newEmail, u.aud, u.id)) {
          throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
        }
        const current = type === 'email_change_current' ? hashed : u.token('email_change_token_current');
        const fresh = type === 'email_change_new' ? tokenHash(newEmail, otp) : u.token('email_change_token_new');
        await updateUser(q, u, {
          email_change_sent_at: NOW,
          email_change: newEmail,
          email_change_confirm_status: 0,
          email_change_token_current: current,
          email_change_token_new: fresh,
        });
        if (current) await createOneTimeToken(q, u.id, u.email, current, 'email_change_token_current');
        if (fresh) await createOneTimeToken(q, u.id, newEmail, fresh, 'email_change_token_new');
        linkToken = type === 'email_change_current' ? current : fresh;
        break;
      }
      default:
        throw badRequest(ErrorCode.validationFailed, `Invalid email action link type requested: ${p.type}`);
    }
    const linkType = type.startsWith('email_change') ? 'email_change' : type;
    return { user: await reloadUser(q, user!), link: deps.mailer.actionLink(linkToken, linkType, redirectTo) };
  });

  return c.json({
    ...result.user.toJSON(),
    action_link: result.link,
    email_otp: otp,
    hashed_token: hashed,
    verification_type: type,
    redirect_to: redirectTo,
  });
}

async function invite(c: Ctx, deps: AuthDeps, actor: Actor): Promise<Response> {
  const p = await readBody(c, inviteBody, 'api.InviteParams');
  const email = validateEmail(p.email);
  const aud = requestAud(c, deps.settings);
  const redirectTo = referrer(c, deps.settings);
  const existing = await findUserByEmail(deps.db.query, email, aud);
  const user = await deps.db.tx(async (q) => {
    let u = existing;
    if (u) {
      if (u.isConfirmed) throw unprocessable(ErrorCode.emailExists, 'A user with this email address has already been registered');
    } else {
      u = await insertUser(q, {
        aud,
        role: 'authenticated',
        email,
        encryptedPassword: '',
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: p.data ?? {},
      });
      await createIdentity(q, u, 'email', baseIdentityData(u.id, { email }));
      u = await reloadUser(q, u);
    }
    await audit(q, actor, 'user_invited', { user_id: u.id, user_email: u.email });
    await sendInvite(deps, q, u, redirectTo);
    return reloadUser(q, u);
  });
  return c.json(user.toJSON());
}

export function adminRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const admin = (handler: (c: Ctx, deps: AuthDeps, actor: Actor) => Promise<Response>) => async (c: Ctx) => {
    const { role } = await requireAdmin(c, deps);
    return handler(c, deps, adminActor(role));
  };

  app.post('/invite', admin(invite));
  app.get('/admin/users', admin((c) => listUsers(c, deps)));
  app.post('/admin/users', admin(createUser));
  app.get('/admin/users/:user_id', admin(async (c) => c.json((await loadUserParam(c, deps)).toJSON())));
  app.put('/admin/users/:user_id', admin(updateUserRoute));
  app.delete('/admin/users/:user_id', admin(deleteUser));
  app.get('/admin/users/:user_id/factors', admin(async (c) => c.json((await loadUserParam(c, deps)).factors.map(factorJson))));
  // adminUserDeleteFactor / adminUserUpdateFactor: the factor must be the user's own.
  const loadFactorParam = async (c: Ctx) => {
    const user = await loadUserParam(c, deps);
    return { user, factor: ownedFactor(user, c.req.param('factor_id')) };
  };
  app.delete(
    '/admin/users/:user_id/factors/:factor_id',
    admin(async (c, _deps, actor) => {
      const { user, factor } = await loadFactorParam(c);
      await deps.db.tx(async (q) => {
        await audit(q, actor, 'factor_deleted', { user_id: user.id, factor_id: factor.id });
        await deleteFactor(q, user.id, factor);
      });
      return c.json(factorJson(factor));
    }),
  );
  app.put(
    '/admin/users/:user_id/factors/:factor_id',
    admin(async (c, _deps, actor) => {
      const { user, factor } = await loadFactorParam(c);
      const p = await readBody(c, z.object({ friendly_name: str, phone: str }), 'api.adminUserUpdateFactorParams');
      const updated = await deps.db.tx(async (q) => {
        let row = factor;
        if (p.friendly_name) {
          [row] = (await q<typeof factor>('update auth.mfa_factors set friendly_name = $2, updated_at = now() where id = $1 returning *', [factor.id, p.friendly_name])) as [typeof factor];
        }
        if (p.phone && factor.factor_type === 'phone') {
          const phone = validatePhone(p.phone);
          [row] = (await q<typeof factor>('update auth.mfa_factors set phone = $2, updated_at = now() where id = $1 returning *', [factor.id, phone])) as [typeof factor];
        }
        await audit(q, actor, 'factor_updated', { user_id: user.id, factor_id: factor.id, factor_type: factor.factor_type });
        return row;
      });
      return c.json(factorJson(updated));
    }),
  );
  app.post('/admin/generate_link', admin(generateLink));
  app.get(
    '/admin/audit',
    admin(async (c) => {
      const page = Math.max(1, parseUint(c.req.query('page'), 1));
      const perPage = Math.max(1, parseUint(c.req.query('per_page'), 50));
      const rows = await deps.db.query<{ id: string; payload: unknown; created_at: string; ip_address: string }>(
        'select id, payload, created_at, ip_address from auth.audit_log_entries where instance_id = $1 order by created_at desc limit $2 offset $3',
        [NIL_UUID, perPage, (page - 1) * perPage],
      );
      return c.json(rows.map((r) => ({ id: r.id, payload: r.payload, created_at: rfc3339(r.created_at), ip_address: r.ip_address })));
    }),
  );
  return app;
}
