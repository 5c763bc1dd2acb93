// The account flows several endpoints share, after GoTrue's api/mail.go, api/verify.go and
// api/pkce.go: sending confirmation, recovery, magic-link, invite and email-change messages
// (one-time token in the user row and in auth.one_time_tokens), checking tokens, confirming.
import { randomUUID } from 'node:crypto';
import { audit } from './audit.ts';
import { generateOtp, hashPassword, randomPassword, tokenHash } from './crypto.ts';
import { epochMs, type Query, type Row } from './db.ts';
import type { AuthDeps } from './deps.ts';
import { badRequest, ErrorCode, forbidden, tooManyRequests, unprocessable } from './errors.ts';
import type { AuthMethod } from './tokens.ts';
import {
  baseIdentityData,
  clearOneTimeTokens,
  confirmEmail,
  createIdentity,
  createOneTimeToken,
  findIdentity,
  findOneTimeToken,
  findUserByEmail,
  findUserById,
  NOW,
  updateIdentityData,
  updateUser,
  type User,
} from './users.ts';

export type FlowType = 'implicit' | 'pkce';

/** checkmail's format rule, which GoTrue applies to every address. */
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue's validateEmail: required, ≤ 255 characters, well-formed; returned lower-cased. */
export function validateEmail(email: string): string {
  if (!email) throw badRequest(ErrorCode.validationFailed, 'An email address is required');
  if (email.length > 255) throw badRequest(ErrorCode.validationFailed, 'An email address is too long');
  if (!EMAIL_FORMAT.test(email)) throw badRequest(ErrorCode.validationFailed, 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}

/** `max_frequency` between two emails of the same kind to the same user. */
export function checkFrequency(sentAt: string | null, maxFrequencyMs: number, now = Date.now()): void {
  const sent = epochMs(sentAt);
  if (sent === null) return;
  const until = sent + maxFrequencyMs;
  if (until > now) {
    const left = Math.trunc((until - now) / 1000);
    throw tooManyRequests(ErrorCode.overEmailSendRateLimit, `For security purposes, you can only request this after ${left} seconds.`);
  }
}

const CODE_CHALLENGE = /^[a-zA-Z._~0-9-]+$/;

/** PKCE parameters: both or neither, and a challenge of 43–128 allowed characters. */
export function validatePkceParams(method: string, challenge: string): void {
  if ((challenge === '') !== (method === '')) {
    throw badRequest(ErrorCode.validationFailed, 'PKCE flow requires code_challenge_method and code_challenge');
  }
  if (!challenge) return;
  if (challenge.length < 43 || challenge.length > 128) {
    throw badRequest(ErrorCode.validationFailed, 'code challenge has to be between 43 and 128 characters');
  }
  if (!CODE_CHALLENGE.test(challenge)) {
    throw badRequest(ErrorCode.validationFailed, 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
  }
}

export function flowFromChallenge(challenge: string): FlowType {
  return challenge ? 'pkce' : 'implicit';
}

const withFlowPrefix = (token: string, flow: FlowType) => (flow === 'pkce' ? `pkce_${token}` : token);

export async function createFlowState(
  q: Query,
  p: { providerType: string; method: AuthMethod; codeChallenge: string; codeChallengeMethod: string; userId: string },
): Promise<void> {
  const method = p.codeChallengeMethod.toLowerCase();
  if (method !== 's256' && method !== 'plain') {
    throw badRequest(ErrorCode.validationFailed, `unsupported code_challenge method "${p.codeChallengeMethod}"`);
  }
  await q(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
                                  provider_access_token, provider_refresh_token, created_at, updated_at, authentication_method)
     values ($1, $2, $3, $4, $5, $6, '', '', now(), now(), $7)`,
    [randomUUID(), p.userId, randomUUID(), method, p.codeChallenge, p.providerType, p.method],
  );
}

export interface FlowStateRow extends Row {
  id: string;
  user_id: string | null;
  auth_code: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  provider_type: string;
  authentication_method: string;
  created_at: string;
  auth_code_issued_at: string | null;
}

/** The auth code of the user's latest PKCE flow for `method`, stamped as issued now. */
export async function issueAuthCode(q: Query, userId: string, method: AuthMethod): Promise<string> {
  const [flow] = await q<FlowStateRow>(
    'select * from auth.flow_state where user_id = $1 and authentication_method = $2 order by created_at desc limit 1',
    [userId, method],
  );
  if (!flow) throw unprocessable(ErrorCode.flowStateNotFound, 'No valid flow state found for user.');
  if (!flow.code_challenge || !flow.auth_code) {
    throw unprocessable(ErrorCode.flowStateNotFound, 'Flow state does not have an auth code (not a PKCE flow).');
  }
  await q('update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = $1', [flow.id]);
  return flow.auth_code;
}

/** The AMR method a verification type stands for in PKCE flows (ParseAuthenticationMethod). */
export function methodOfVerification(type: string): AuthMethod {
  if (type.endsWith('signup')) return 'email/signup';
  switch (type) {
    case 'recovery':
    case 'magiclink':
    case 'invite':
    case 'email_change':
      return type;
    default:
      throw badRequest(ErrorCode.validationFailed, `unsupported authentication method "${type}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

export async function sendConfirmation(deps: AuthDeps, q: Query, user: User, flow: FlowType, redirectTo: string): Promise<void> {
  checkFrequency(user.row.confirmation_sent_at, deps.settings.email.maxFrequencyMs);
  const otp = generateOtp(deps.settings.email.otpLength);
  const token = withFlowPrefix(tokenHash(user.email, otp), flow);
  deps.mailer.send({ type: 'signup', to: user.email, otp, tokenHash: token, redirectTo });
  await updateUser(q, user, { confirmation_token: token, confirmation_sent_at: NOW });
  await createOneTimeToken(q, user.id, user.email, token, 'confirmation_token');
}

export async function sendInvite(deps: AuthDeps, q: Query, user: User, redirectTo: string): Promise<void> {
  const otp = generateOtp(deps.settings.email.otpLength);
  const token = tokenHash(user.email, otp);
  deps.mailer.send({ type: 'invite', to: user.email, otp, tokenHash: token, redirectTo });
  await updateUser(q, user, { confirmation_token: token, confirmation_sent_at: NOW, invited_at: NOW });
  await createOneTimeToken(q, user.id, user.email, token, 'confirmation_token');
}

/** Recovery and magic-link emails share the recovery token and its `max_frequency` timer. */
export async function sendRecoveryOrMagicLink(
  deps: AuthDeps,
  q: Query,
  user: User,
  kind: 'recovery' | 'magiclink',
  flow: FlowType,
  redirectTo: string,
): Promise<void> {
  checkFrequency(user.row.recovery_sent_at, deps.settings.email.maxFrequencyMs);
  const otp = generateOtp(deps.settings.email.otpLength);
  const token = withFlowPrefix(tokenHash(user.email, otp), flow);
  deps.mailer.send({ type: kind, to: user.email, otp, tokenHash: token, redirectTo });
  await updateUser(q, user, { recovery_token: token, recovery_sent_at: NOW });
  await createOneTimeToken(q, user.id, user.email, token, 'recovery_token');
}

/**
 * POST /recover and POST /magiclink for an existing user end alike (GoTrue audits both as a
 * recovery request): a PKCE flow state when a challenge came, then the email.
 */
export async function requestRecoveryOrMagicLink(
  deps: AuthDeps,
  user: User,
  kind: 'recovery' | 'magiclink',
  flow: FlowType,
  pkce: { codeChallenge: string; codeChallengeMethod: string },
  redirectTo: string,
): Promise<void> {
  if (flow === 'pkce') {
    await createFlowState(deps.db.query, { providerType: kind, method: kind, ...pkce, userId: user.id });
  }
  await deps.db.tx(async (q) => {
    await audit(q, user, 'user_recovery_requested');
    await sendRecoveryOrMagicLink(deps, q, user, kind, flow, redirectTo);
  });
}

export async function sendReauthentication(deps: AuthDeps, q: Query, user: User): Promise<void> {
  checkFrequency(user.row.reauthentication_sent_at, deps.settings.email.maxFrequencyMs);
  const otp = generateOtp(deps.settings.email.otpLength);
  const token = tokenHash(user.email, otp);
  deps.mailer.send({ type: 'reauthentication', to: user.email, otp, tokenHash: '', redirectTo: '' });
  await updateUser(q, user, { reauthentication_token: token, reauthentication_sent_at: NOW });
  await createOneTimeToken(q, user.id, user.email, token, 'reauthentication_token');
}

/**
 * An email change: a code to the new address and, with `double_confirm_changes`
 * (GoTrue's secure email change), another to the current one.
 */
export async function sendEmailChange(deps: AuthDeps, q: Query, user: User, newEmail: string, flow: FlowType, redirectTo: string): Promise<void> {
  checkFrequency(user.row.email_change_sent_at, deps.settings.email.maxFrequencyMs);
  const otpNew = generateOtp(deps.settings.email.otpLength);
  const tokenNew = withFlowPrefix(tokenHash(newEmail, otpNew), flow);
  const secure = deps.settings.email.secureEmailChange && user.email !== '';
  const otpCurrent = secure ? generateOtp(deps.settings.email.otpLength) : '';
  const tokenCurrent = secure ? withFlowPrefix(tokenHash(user.email, otpCurrent), flow) : '';
  const messages = [{ type: 'email_change' as const, to: newEmail, otp: otpNew, tokenHash: tokenNew, redirectTo, email: user.email, newEmail }];
  if (secure) messages.push({ type: 'email_change', to: user.email, otp: otpCurrent, tokenHash: tokenCurrent, redirectTo, email: user.email, newEmail });
  deps.mailer.send(...messages);
  await updateUser(q, user, {
    email_change_token_current: tokenCurrent,
    email_change_token_new: tokenNew,
    email_change: newEmail,
    email_change_sent_at: NOW,
    email_change_confirm_status: 0,
  });
  if (tokenCurrent) await createOneTimeToken(q, user.id, user.email, tokenCurrent, 'email_change_token_current');
  await createOneTimeToken(q, user.id, newEmail, tokenNew, 'email_change_token_new');
}

// ---------------------------------------------------------------------------------------------
// Verifying

export type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change' | 'email' | 'sms' | 'phone_change';

function isExpired(sentAt: string | null, otpExpiry: number): boolean {
  const sent = epochMs(sentAt);
  return sent === null || Date.now() > sent + otpExpiry * 1000;
}

function otpValid(actual: string, expected: string, sentAt: string | null, otpExpiry: number): boolean {
  if (!expected || sentAt === null) return false;
  return !isExpired(sentAt, otpExpiry) && (actual === expected || `pkce_${actual}` === expected);
}

/**
 * A link's token hash (GET /verify, POST /verify with token_hash): the user it belongs to, and
 * the type it resolves to (`email` becomes `signup` or `magiclink`).
 */
export async function userByTokenHash(deps: AuthDeps, q: Query, type: string, hash: string): Promise<{ user: User; type: string }> {
  const invalid = () => forbidden(ErrorCode.otpExpired, 'Email link is invalid or has expired');
  let ott;
  switch (type) {
    case 'email':
      ott = await findOneTimeToken(q, hash, ['confirmation_token', 'recovery_token']);
      break;
    case 'signup':
    case 'invite':
      ott = await findOneTimeToken(q, hash, ['confirmation_token']);
      break;
    case 'recovery':
    case 'magiclink':
      ott = await findOneTimeToken(q, hash, ['recovery_token']);
      break;
    case 'email_change':
      ott = await findOneTimeToken(q, hash, ['email_change_token_current', 'email_change_token_new']);
      break;
    default:
      throw badRequest(ErrorCode.validationFailed, 'Invalid email verification type');
  }
  const user = ott ? await findUserById(q, ott.user_id) : undefined;
  if (!user) throw invalid();
  if (user.isBanned) throw forbidden(ErrorCode.userBanned, 'User is banned');
  let resolved = type;
  let sentAt: string | null;
  switch (type) {
    case 'email':
      sentAt = user.row.confirmation_sent_at;
      resolved = 'signup';
      if (user.token('recovery_token') === hash) {
        sentAt = user.row.recovery_sent_at;
        resolved = 'magiclink';
      }
      break;
    case 'signup':
    case 'invite':
      sentAt = user.row.confirmation_sent_at;
      break;
    case 'recovery':
    case 'magiclink':
      sentAt = user.row.recovery_sent_at;
      break;
    default:
      sentAt = user.row.email_change_sent_at;
  }
  if (isExpired(sentAt, deps.settings.email.otpExpiry)) throw invalid();
  return { user, type: resolved };
}

/** A code typed by the user (POST /verify with email and token). */
export async function userByOtp(deps: AuthDeps, q: Query, type: string, email: string, hash: string, aud: string): Promise<{ user: User; type: string }> {
  const invalid = () => forbidden(ErrorCode.otpExpired, 'Token has expired or is invalid');
  let user: User | undefined;
  if (type === 'email_change') {
    let ott = deps.settings.email.secureEmailChange
      ? ((await findOneTimeToken(q, hash, ['email_change_token_current'])) ?? (await findOneTimeToken(q, `pkce_${hash}`, ['email_change_token_current'])))
      : undefined;
    ott ??= (await findOneTimeToken(q, hash, ['email_change_token_new'])) ?? (await findOneTimeToken(q, `pkce_${hash}`, ['email_change_token_new']));
    user = ott ? await findUserById(q, ott.user_id) : undefined;
    if (user && user.aud !== aud) user = undefined;
  } else if (type === 'sms' || type === 'phone_change') {
    user = undefined;
  } else {
    user = await findUserByEmail(q, email, aud);
  }
  if (!user) throw invalid();
  if (user.isBanned) throw forbidden(ErrorCode.userBanned, 'User is banned');
  const exp = deps.settings.email.otpExpiry;
  const r = user.row;
  let resolved = type;
  let valid: boolean;
  switch (type) {
    case 'email':
      if (otpValid(hash, user.token('confirmation_token'), r.confirmation_sent_at, exp)) {
        valid = true;
        resolved = 'signup';
      } else if (otpValid(hash, user.token('recovery_token'), r.recovery_sent_at, exp)) {
        valid = true;
        resolved = 'magiclink';
      } else valid = false;
      break;
    case 'signup':
    case 'invite':
      valid = otpValid(hash, user.token('confirmation_token'), r.confirmation_sent_at, exp);
      break;
    case 'recovery':
    case 'magiclink':
      valid = otpValid(hash, user.token('recovery_token'), r.recovery_sent_at, exp);
      break;
    case 'email_change':
      valid =
        otpValid(hash, user.token('email_change_token_current'), r.email_change_sent_at, exp) ||
        otpValid(hash, user.token('email_change_token_new'), r.email_change_sent_at, exp);
      break;
    default:
      valid = false;
  }
  if (!valid) throw invalid();
  return { user, type: resolved };
}

/** signup / invite verified: confirm (an invited user without password gets a random one). */
export async function signupVerify(q: Query, user: User): Promise<void> {
  if (!user.hasPassword && user.row.invited_at !== null) {
    await updatePassword(q, user, await hashPassword(randomPassword(64)), undefined);
  }
  await audit(q, user, 'user_signedup', { provider: 'email' });
  await confirmEmail(q, user);
  for (const identity of user.identities) {
    if (identity.email && user.email && identity.email === user.email) {
      await updateIdentityData(q, identity, { email_verified: true });
    }
  }
}

/** recovery / magiclink verified: the recovery token is spent; an unconfirmed user is confirmed. */
export async function recoverVerify(q: Query, user: User): Promise<void> {
  await updateUser(q, user, { recovery_token: '' });
  await clearOneTimeTokens(q, user.id);
  if (!user.isConfirmed) {
    await audit(q, user, 'user_signedup', { provider: 'email' });
    await confirmEmail(q, user);
  } else {
    await audit(q, user, 'login');
  }
}

/**
 * email_change verified. With secure email change the first of the two codes only records the
 * confirmation (returns false: "proceed to the other email"); the second, or the only one,
 * switches the address and returns true.
 */
export async function emailChangeVerify(deps: AuthDeps, q: Query, user: User, hash: string, token: string): Promise<boolean> {
  if (!deps.settings.email.autoconfirm && deps.settings.email.secureEmailChange && (user.row.email_change_confirm_status ?? 0) === 0 && user.email !== '') {
    const current = await findOneTimeToken(q, hash, ['email_change_token_current']);
    const fresh = await findOneTimeToken(q, hash, ['email_change_token_new']);
    const values: Parameters<typeof updateUser>[2] = { email_change_confirm_status: 1 };
    const cur = user.token('email_change_token_current');
    const nw = user.token('email_change_token_new');
    if (token === cur || hash === cur || (current && hash === current.token_hash)) {
      values.email_change_token_current = '';
      await clearOneTimeTokens(q, user.id, 'email_change_token_current');
    } else if (token === nw || hash === nw || (fresh && hash === fresh.token_hash)) {
      values.email_change_token_new = '';
      await clearOneTimeTokens(q, user.id, 'email_change_token_new');
    }
    await updateUser(q, user, values);
    return false;
  }
  await applyEmailChange(q, user);
  return true;
}

/** Makes `email_change` the user's address (ConfirmEmailChange plus the identity update). */
export async function applyEmailChange(q: Query, user: User): Promise<void> {
  const email = user.emailChange;
  await audit(q, user, 'user_modified');
  const identity = await findIdentity(q, user.id, 'email');
  if (!identity) await createIdentity(q, user, 'email', baseIdentityData(user.id, { email, emailVerified: true }));
  else await updateIdentityData(q, identity, { email, email_verified: true });
  await updateUser(q, user, {
    email,
    email_change: '',
    email_change_token_current: '',
    email_change_token_new: '',
    email_change_confirm_status: 0,
    ...(user.isAnonymous ? { is_anonymous: false } : {}),
  });
  await clearOneTimeTokens(q, user.id);
  if (!user.isConfirmed) await confirmEmail(q, user);
}

/**
 * A new password (already hashed): pending tokens are void and the other sessions end (all of
 * them without a current session), as GoTrue's UpdatePassword does.
 */
export async function updatePassword(q: Query, user: User, hash: string | null, sessionId: string | undefined): Promise<void> {
  await updateUser(q, user, {
    encrypted_password: hash,
    confirmation_token: '',
    confirmation_sent_at: null,
    recovery_token: '',
    recovery_sent_at: null,
    email_change_token_current: '',
    email_change_token_new: '',
    email_change_sent_at: null,
    phone_change_token: '',
    phone_change_sent_at: null,
    reauthentication_token: '',
    reauthentication_sent_at: null,
  });
  await clearOneTimeTokens(q, user.id);
  if (sessionId) await q('delete from auth.sessions where id <> $1 and user_id = $2', [sessionId, user.id]);
  else await q('delete from auth.sessions where user_id = $1', [user.id]);
}
