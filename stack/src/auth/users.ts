// Users, identities and one-time tokens in the auth schema, written the way GoTrue's models write
// them (instance_id nil, empty strings rather than NULL in the *_token columns, updated_at bumped
// on every change) and serialised as GoTrue's User JSON.
import { randomUUID } from 'node:crypto';
import { NIL_UUID, rfc3339, type Query, type Row } from './db.ts';

type Json = Record<string, unknown>;

export interface UserRow extends Row {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: string | null;
  invited_at: string | null;
  confirmation_token: string | null;
  confirmation_sent_at: string | null;
  recovery_token: string | null;
  recovery_sent_at: string | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: string | null;
  last_sign_in_at: string | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: string | null;
  updated_at: string | null;
  phone: string | null;
  phone_confirmed_at: string | null;
  phone_change: string | null;
  phone_change_token: string | null;
  phone_change_sent_at: string | null;
  confirmed_at: string | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  banned_until: string | null;
  reauthentication_token: string | null;
  reauthentication_sent_at: string | null;
  is_sso_user: boolean;
  deleted_at: string | null;
  is_anonymous: boolean;
}

export interface IdentityRow extends Row {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json | null;
  provider: string;
  last_sign_in_at: string | null;
  created_at: string | null;
  updated_at: string | null;
  email: string | null;
}

/** A row of auth.mfa_factors (all its columns are loaded with the user). */
export interface FactorRow extends Row {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  created_at: string;
  updated_at: string;
  phone: string | null;
  last_challenged_at: string | null;
  secret: string | null;
}

export type OneTimeTokenType =
  | 'confirmation_token'
  | 'reauthentication_token'
  | 'recovery_token'
  | 'email_change_token_new'
  | 'email_change_token_current'
  | 'phone_change_token';

/** A JSON map as Go encodes a map[string]interface{}: keys sorted, at every depth. */
export function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value && typeof value === 'object') {
    const o = value as Json;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortedJson(o[k])]));
  }
  return value;
}

/** A user with the identities and factors GoTrue eager-loads. */
export class User {
  constructor(
    public row: UserRow,
    public identities: IdentityRow[] = [],
    public factors: FactorRow[] = [],
  ) {}

  get id(): string {
    return this.row.id;
  }
  get aud(): string {
    return this.row.aud ?? '';
  }
  get role(): string {
    return this.row.role ?? '';
  }
  get email(): string {
    return this.row.email ?? '';
  }
  get phone(): string {
    return this.row.phone ?? '';
  }
  get appMetadata(): Json {
    return sortedJson(this.row.raw_app_meta_data ?? {}) as Json;
  }
  get userMetadata(): Json {
    return sortedJson(this.row.raw_user_meta_data ?? {}) as Json;
  }
  get isAnonymous(): boolean {
    return this.row.is_anonymous;
  }
  get isConfirmed(): boolean {
    return this.row.email_confirmed_at !== null;
  }
  get isPhoneConfirmed(): boolean {
    return this.row.phone_confirmed_at !== null;
  }
  get hasPassword(): boolean {
    return Boolean(this.row.encrypted_password);
  }
  get isBanned(): boolean {
    const until = this.row.banned_until ? Date.parse(rfc3339(this.row.banned_until) ?? '') : NaN;
    return !Number.isNaN(until) && Date.now() < until;
  }
  /** The column value, with GoTrue's NULL-as-empty-string reading of the token columns. */
  token(column: 'confirmation_token' | 'recovery_token' | 'email_change_token_new' | 'email_change_token_current' | 'reauthentication_token'): string {
    return this.row[column] ?? '';
  }
  get emailChange(): string {
    return this.row.email_change ?? '';
  }
  get hasMfa(): boolean {
    return this.factors.some((f) => f.status === 'verified');
  }

  /** GoTrue's User JSON, keys in its order, optional fields left out when empty. */
  toJSON(): Json {
    const r = this.row;
    const out: Json = { id: r.id, aud: this.aud, role: this.role, email: this.email };
    const time = (key: string, value: string | null) => {
      if (value !== null) out[key] = rfc3339(value);
    };
    time('email_confirmed_at', r.email_confirmed_at);
    time('invited_at', r.invited_at);
    out.phone = this.phone;
    time('phone_confirmed_at', r.phone_confirmed_at);
    time('confirmation_sent_at', r.confirmation_sent_at);
    time('confirmed_at', r.confirmed_at);
    time('recovery_sent_at', r.recovery_sent_at);
    if (r.email_change) out.new_email = r.email_change;
    time('email_change_sent_at', r.email_change_sent_at);
    if (r.phone_change) out.new_phone = r.phone_change;
    time('phone_change_sent_at', r.phone_change_sent_at);
    time('reauthentication_sent_at', r.reauthentication_sent_at);
    time('last_sign_in_at', r.last_sign_in_at);
    out.app_metadata = this.appMetadata;
    out.user_metadata = this.userMetadata;
    if (this.factors.length) out.factors = this.factors.map(factorJson);
    out.identities = this.identities.map(identityJson);
    out.created_at = rfc3339(r.created_at) ?? '0001-01-01T00:00:00Z';
    out.updated_at = rfc3339(r.updated_at) ?? '0001-01-01T00:00:00Z';
    time('banned_until', r.banned_until);
    time('deleted_at', r.deleted_at);
    out.is_anonymous = r.is_anonymous;
    return out;
  }
}

/** An identity as GoTrue serialises it: `id` is the provider's id, `identity_id` the row's. */
export function identityJson(i: IdentityRow): Json {
  const out: Json = { identity_id: i.id, id: i.provider_id, user_id: i.user_id };
  if (i.identity_data && Object.keys(i.identity_data).length) out.identity_data = sortedJson(i.identity_data);
  out.provider = i.provider;
  if (i.last_sign_in_at !== null) out.last_sign_in_at = rfc3339(i.last_sign_in_at);
  out.created_at = rfc3339(i.created_at) ?? '0001-01-01T00:00:00Z';
  out.updated_at = rfc3339(i.updated_at) ?? '0001-01-01T00:00:00Z';
  if (i.email) out.email = i.email;
  return out;
}

/** A factor as GoTrue's models.Factor serialises it (the secret and WebAuthn credential never). */
export function factorJson(f: FactorRow): Json {
  const out: Json = { id: f.id, created_at: rfc3339(f.created_at), updated_at: rfc3339(f.updated_at), status: f.status };
  if (f.friendly_name) out.friendly_name = f.friendly_name;
  out.factor_type = f.factor_type;
  out.phone = f.phone ?? '';
  out.last_challenged_at = f.last_challenged_at ? rfc3339(f.last_challenged_at) : null;
  return out;
}

async function loadRelations(q: Query, row: UserRow | undefined): Promise<User | undefined> {
  if (!row) return undefined;
  const [identities, factors] = await Promise.all([
    q<IdentityRow>('select * from auth.identities where user_id = $1 order by created_at, id', [row.id]),
    q<FactorRow>('select * from auth.mfa_factors where user_id = $1 order by created_at, id', [row.id]),
  ]);
  return new User(row, identities, factors);
}

export async function findUserById(q: Query, id: string): Promise<User | undefined> {
  const [row] = await q<UserRow>('select * from auth.users where instance_id = $1 and id = $2', [NIL_UUID, id]);
  return loadRelations(q, row);
}

/** GoTrue's FindUserByEmailAndAudience: case-insensitive, SSO users excluded. */
export async function findUserByEmail(q: Query, email: string, aud: string): Promise<User | undefined> {
  const [row] = await q<UserRow>(
    'select * from auth.users where instance_id = $1 and lower(email) = $2 and aud = $3 and is_sso_user = false limit 1',
    [NIL_UUID, email.toLowerCase(), aud],
  );
  return loadRelations(q, row);
}

export async function findUserByPhone(q: Query, phone: string, aud: string): Promise<User | undefined> {
  const [row] = await q<UserRow>('select * from auth.users where instance_id = $1 and phone = $2 and aud = $3 and is_sso_user = false limit 1', [
    NIL_UUID,
    phone,
    aud,
  ]);
  return loadRelations(q, row);
}

export async function findUserByPhoneChange(q: Query, phone: string, aud: string): Promise<User | undefined> {
  const [row] = await q<UserRow>('select * from auth.users where instance_id = $1 and phone_change = $2 and aud = $3 and is_sso_user = false limit 1', [
    NIL_UUID,
    phone,
    aud,
  ]);
  return loadRelations(q, row);
}

/** Re-reads a user (after updates, and to see what triggers and generated columns did). */
export async function reloadUser(q: Query, user: User): Promise<User> {
  const fresh = await findUserById(q, user.id);
  if (!fresh) throw new Error(`user ${user.id} vanished during the request`);
  return fresh;
}

/**
 * GoTrue's IsDuplicatedEmail: another user of the same audience whose email identity or email
 * column has this address.
 */
export async function findDuplicateEmail(q: Query, email: string, aud: string, exceptUserId?: string): Promise<User | undefined> {
  const rows = await q<{ id: string }>(
    `select u.id from auth.users u
      where u.aud = $2 and u.id is distinct from $3::uuid
        and (u.id in (select i.user_id from auth.identities i where i.email = $1 and i.provider not like 'sso:%')
             or (lower(u.email) = $1 and u.is_sso_user = false and u.instance_id = $4))
      limit 1`,
    [email.toLowerCase(), aud, exceptUserId ?? null, NIL_UUID],
  );
  return rows[0] ? findUserById(q, rows[0].id) : undefined;
}

export interface NewUser {
  id?: string;
  aud: string;
  role: string;
  email?: string;
  phone?: string;
  encryptedPassword: string | null;
  appMetadata: Json;
  userMetadata: Json;
  isAnonymous?: boolean;
}

export async function insertUser(q: Query, u: NewUser): Promise<User> {
  const [row] = await q<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, raw_app_meta_data, raw_user_meta_data,
                             confirmation_token, recovery_token, email_change_token_new, email_change, is_anonymous, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', '', '', '', $10, now(), now())
     returning *`,
    [
      NIL_UUID,
      u.id ?? randomUUID(),
      u.aud,
      u.role,
      u.email ? u.email.toLowerCase() : null,
      u.phone || null,
      u.encryptedPassword ?? '',
      u.appMetadata,
      u.userMetadata,
      u.isAnonymous ?? false,
    ],
  );
  return new User(row!);
}

/** The columns handlers may set; names are fixed here, values always bound. */
type UserColumn =
  | 'aud'
  | 'role'
  | 'email'
  | 'phone'
  | 'encrypted_password'
  | 'email_confirmed_at'
  | 'phone_confirmed_at'
  | 'invited_at'
  | 'confirmation_token'
  | 'confirmation_sent_at'
  | 'recovery_token'
  | 'recovery_sent_at'
  | 'email_change_token_new'
  | 'email_change_token_current'
  | 'email_change'
  | 'email_change_sent_at'
  | 'email_change_confirm_status'
  | 'phone_change'
  | 'phone_change_token'
  | 'phone_change_sent_at'
  | 'reauthentication_token'
  | 'reauthentication_sent_at'
  | 'last_sign_in_at'
  | 'raw_app_meta_data'
  | 'raw_user_meta_data'
  | 'banned_until'
  | 'deleted_at'
  | 'is_anonymous';

/** The value `now()` in an update: the statement's time, like Go's time.Now() at that moment. */
export const NOW = Symbol('now');

/** Updates the given columns (and updated_at, as pop does) and keeps `user.row` in step. */
export async function updateUser(q: Query, user: User, values: Partial<Record<UserColumn, unknown>>): Promise<void> {
  const entries = Object.entries(values);
  if (!entries.length) return;
  const params: unknown[] = [user.id];
  const sets = entries.map(([column, value]) => {
    if (value === NOW) return `${column} = now()`;
    params.push(value);
    return `${column} = $${params.length}`;
  });
  const [row] = await q<UserRow>(`update auth.users set ${sets.join(', ')}, updated_at = now() where id = $1 returning *`, params);
  if (row) user.row = row;
}

/** Merges into user_metadata: a null value removes the key (GoTrue's UpdateUserMetaData). */
export function mergeMetadata(current: Json, updates: Json): Json {
  const out = { ...current };
  for (const [k, v] of Object.entries(updates)) {
    if (v === null || v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

export async function updateUserMetadata(q: Query, user: User, updates: Json): Promise<void> {
  await updateUser(q, user, { raw_user_meta_data: mergeMetadata(user.userMetadata, updates) });
}

export async function updateAppMetadata(q: Query, user: User, updates: Json): Promise<void> {
  await updateUser(q, user, { raw_app_meta_data: mergeMetadata(user.appMetadata, updates) });
}

/** `app_metadata.provider(s)` re-derived from the identities, oldest first. */
export async function updateAppMetadataProviders(q: Query, user: User): Promise<void> {
  const rows = await q<{ provider: string }>(
    'select provider from auth.identities where user_id = $1 group by provider order by min(created_at)',
    [user.id],
  );
  const providers = rows.map((r) => r.provider);
  const payload: Json = { providers };
  if (providers.length) payload.provider = providers[0];
  await updateAppMetadata(q, user, payload);
}

/** Email confirmation: stamps email_confirmed_at, merges `email_verified: true`, drops OTTs. */
export async function confirmEmail(q: Query, user: User): Promise<void> {
  await updateUser(q, user, { confirmation_token: '', email_confirmed_at: NOW });
  await updateUserMetadata(q, user, { email_verified: true });
  await clearOneTimeTokens(q, user.id);
}

/** Phone confirmation (User.ConfirmPhone): stamps phone_confirmed_at, drops the code and OTTs. */
export async function confirmPhone(q: Query, user: User): Promise<void> {
  await updateUser(q, user, { confirmation_token: '', phone_confirmed_at: NOW });
  await clearOneTimeTokens(q, user.id);
}

export async function createIdentity(q: Query, user: User, provider: string, identityData: Json): Promise<IdentityRow> {
  const data = { ...identityData };
  if (typeof data.email === 'string') data.email = data.email.toLowerCase();
  const [row] = await q<IdentityRow>(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, $4, now(), now(), now()) returning *`,
    [String(data.sub), user.id, data, provider],
  );
  return row!;
}

export async function findIdentity(q: Query, providerId: string, provider: string): Promise<IdentityRow | undefined> {
  const [row] = await q<IdentityRow>('select * from auth.identities where provider_id = $1 and provider = $2', [providerId, provider]);
  return row;
}

export async function updateIdentityData(q: Query, identity: IdentityRow, updates: Json): Promise<IdentityRow> {
  const data = mergeMetadata(identity.identity_data ?? {}, updates);
  if (typeof data.email === 'string') data.email = data.email.toLowerCase();
  const [row] = await q<IdentityRow>('update auth.identities set identity_data = $2 where id = $1 returning *', [identity.id, data]);
  return row ?? identity;
}

/** The identity_data GoTrue writes for an email or phone identity (provider.Claims via structs.Map). */
export function baseIdentityData(sub: string, fields: { email?: string; phone?: string; emailVerified?: boolean; phoneVerified?: boolean }): Json {
  const out: Json = { sub };
  if (fields.email) out.email = fields.email;
  out.email_verified = fields.emailVerified ?? false;
  if (fields.phone) out.phone = fields.phone;
  out.phone_verified = fields.phoneVerified ?? false;
  return out;
}

export async function createOneTimeToken(q: Query, userId: string, relatesTo: string, hash: string, type: OneTimeTokenType): Promise<void> {
  await q('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type]);
  await q(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now())`,
    [randomUUID(), userId, type, hash, relatesTo.toLowerCase()],
  );
}

export async function clearOneTimeTokens(q: Query, userId: string, type?: OneTimeTokenType): Promise<void> {
  if (type) await q('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type]);
  else await q('delete from auth.one_time_tokens where user_id = $1', [userId]);
}

export interface OneTimeTokenRow extends Row {
  id: string;
  user_id: string;
  token_type: OneTimeTokenType;
  token_hash: string;
  relates_to: string;
}

export async function findOneTimeToken(q: Query, hash: string, types: OneTimeTokenType[]): Promise<OneTimeTokenRow | undefined> {
  const [row] = await q<OneTimeTokenRow>('select * from auth.one_time_tokens where token_type = any($1::auth.one_time_token_type[]) and token_hash = $2 limit 1', [
    types,
    hash,
  ]);
  return row;
}
