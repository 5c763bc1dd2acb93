// /factors: MFA as GoTrue's api/mfa.go does it for TOTP. Enrol (a secret, its otpauth:// URI and
// a QR code as SVG), challenge, verify (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew
// either way) and unenrol. A verified code raises the session to aal2: the `totp` AMR claim is
// recorded, the refresh token is swapped and the access token says `aal: aal2`, so refreshes keep
// it and RLS policies can require it. `[auth.mfa.totp]` enroll_enabled / verify_enabled switch
// each half. Phone factors enrol as in GoTrue, but a challenge needs an SMS provider and fails as
// GoTrue fails without one; WebAuthn factors are refused (no authenticator locally).
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Hono } from 'hono';
import { Secret, TOTP } from 'otpauth';
import qrcode from 'qrcode-generator';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { audit } from '../audit.ts';
import { requireUser, type Authenticated } from '../authn.ts';
import { epochMs, type Query, type Row, UUID } from '../db.ts';
import type { AuthDeps } from '../deps.ts';
import { badRequest, ErrorCode, forbidden, internal, notFound, tooManyRequests, unprocessable, type ErrorCodeValue } from '../errors.ts';
import { validateChannel, validatePhone } from '../phone.ts';
import { clientIp, enforceRateLimit, readBody, str, type Ctx } from '../http.ts';
import { addAmrClaim, generateAccessToken, rotateRefreshToken, sessionResponse, type SessionRow } from '../tokens.ts';
import { reloadUser, type FactorRow, type User } from '../users.ts';

const enrollBody = z.object({ factor_type: str, friendly_name: str, issuer: str, phone: str });
const challengeBody = z.object({ channel: str });
const verifyBody = z.object({ challenge_id: str, code: str });


/** TOTP as GoTrue validates it (pquerna/otp ValidateOpts{Period: 30, Skew: 1, Digits: 6, SHA1}). */
export const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const TOTP_WINDOW = 1;
/** `[auth.mfa.phone] max_frequency`, the CLI's default. */
const PHONE_MFA_MAX_FREQUENCY_MS = 5000;
/** goqrsvg's block size in GoTrue (DefaultQRSize). */
const QR_CELL_SIZE = 3;

interface ChallengeRow extends Row {
  id: string;
  factor_id: string;
  created_at: string;
  verified_at: string | null;
  ip_address: string;
}

type FactorType = 'totp' | 'phone' | 'webauthn';
const LABEL: Record<FactorType, string> = { totp: 'TOTP', phone: 'Phone', webauthn: 'WebAuthn' };
const ENROLL_DISABLED: Record<FactorType, ErrorCodeValue> = {
  totp: ErrorCode.mfaTotpEnrollDisabled,
  phone: ErrorCode.mfaPhoneEnrollDisabled,
  webauthn: ErrorCode.mfaWebAuthnEnrollDisabled,
};
const VERIFY_DISABLED: Record<FactorType, ErrorCodeValue> = {
  totp: ErrorCode.mfaTotpVerifyDisabled,
  phone: ErrorCode.mfaPhoneVerifyDisabled,
  // GoTrue's VerifyFactor answers the enroll code for WebAuthn (sic); its ChallengeFactor the verify one.
  webauthn: ErrorCode.mfaWebAuthnVerifyDisabled,
};

function isFactorType(t: string): t is FactorType {
  return t === 'totp' || t === 'phone' || t === 'webauthn';
}

/** requireAuthentication + requireNotAnonymous, as the /factors router stacks them. */
async function signedInNonAnonymous(c: Ctx, deps: AuthDeps): Promise<Authenticated> {
  const auth = await requireUser(c, deps);
  if (auth.claims.is_anonymous === true) throw forbidden(ErrorCode.noAuthorization, 'Anonymous user not allowed to perform these actions');
  return auth;
}

/**
 * GoTrue's loadFactor (and the admin API's): the id must be a UUID and the factor the user's own,
 * one of the factors loaded with the user.
 */
export function ownedFactor(user: User, id: string | undefined): FactorRow {
  if (!UUID.test(id ?? '')) throw notFound(ErrorCode.validationFailed, 'factor_id must be an UUID');
  const factor = user.factors.find((f) => f.id === id);
  if (!factor) throw notFound(ErrorCode.mfaFactorNotFound, 'Factor not found');
  return factor;
}

/** The address challenges are bound to (GoTrue's utilities.GetIPAddress; the column is inet). */
function challengeIp(c: Ctx): string {
  const ip = clientIp(c);
  return isIP(ip) ? ip : '0.0.0.0';
}

/** Go's url.Values.Encode of pquerna/otp's key URL parameters. */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const q = new URLSearchParams({ algorithm: 'SHA1', digits: '6', issuer, period: '30', secret });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?${q.toString()}`;
}

/** The QR code of `text` as an SVG document (error correction H, as GoTrue encodes it). */
export function qrSvg(text: string): string {
  const qr = qrcode(0, 'H');
  qr.addData(text);
  qr.make();
  return qr.createSvgTag({ cellSize: QR_CELL_SIZE, margin: 0 });
}

/** validateFactors: expired unverified factors go; name, count and AAL rules apply. */
async function validateNewFactor(deps: AuthDeps, q: Query, user: User, name: string, session: SessionRow): Promise<void> {
  const mfa = deps.settings.mfa;
  await q(
    `delete from auth.mfa_factors f where f.status <> 'verified'
       and not exists (select 1 from auth.mfa_challenges ch where ch.factor_id = f.id)
       and f.created_at + make_interval(secs => $1) < now()`,
    [mfa.factorExpirySeconds],
  );
  const factors = await q<FactorRow>('select * from auth.mfa_factors where user_id = $1', [user.id]);
  let verified = 0;
  for (const f of factors) {
    if ((f.friendly_name ?? '') === name) {
      throw unprocessable(ErrorCode.mfaFactorNameConflict, `A factor with the friendly name "${name}" for this user already exists`);
    }
    if (f.status === 'verified') verified++;
  }
  if (factors.length >= mfa.maxEnrolledFactors || verified >= mfa.maxVerifiedFactors) {
    throw unprocessable(ErrorCode.tooManyEnrolledMfaFactors, 'Maximum number of verified factors reached, unenroll to continue');
  }
  if (verified > 0 && session.aal !== 'aal2') throw forbidden(ErrorCode.insufficientAal, 'AAL2 required to enroll a new factor');
}

async function enrollTotp(c: Ctx, deps: AuthDeps, user: User, session: SessionRow, p: z.output<typeof enrollBody>): Promise<Response> {
  let issuer = p.issuer;
  if (!issuer) {
    try {
      issuer = new URL(deps.settings.siteUrl).host;
    } catch {
      throw internal('site url is improperly formatted');
    }
  }
  const secret = new Secret({ size: 20 }).base32;
  const uri = otpauthUri(issuer, user.email, secret);
  const qr = qrSvg(uri);
  const id = randomUUID();
  await deps.db.tx(async (q) => {
    await validateNewFactor(deps, q, user, p.friendly_name, session);
    await q(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
       values ($1, $2, $3, 'totp', 'unverified', now(), now(), $4)`,
      [id, user.id, p.friendly_name, secret],
    );
    await audit(q, user, 'factor_in_progress', { factor_id: id });
  });
  return c.json({ id, type: 'totp', friendly_name: p.friendly_name, totp: { qr_code: qr, secret, uri } });
}

/** enrollPhoneFactor: an unverified factor for the number (no SMS is sent on enrolment). */
async function enrollPhone(c: Ctx, deps: AuthDeps, user: User, session: SessionRow, p: z.output<typeof enrollBody>): Promise<Response> {
  if (!p.phone) throw badRequest(ErrorCode.validationFailed, 'Phone number required to enroll Phone factor');
  const phone = validatePhone(p.phone);
  const id = randomUUID();
  await deps.db.tx(async (q) => {
    const same = await q<FactorRow>("select * from auth.mfa_factors where user_id = $1 and factor_type = 'phone' and phone = $2", [user.id, phone]);
    if (same.some((f) => f.status === 'verified')) {
      throw unprocessable(ErrorCode.mfaVerifiedFactorExists, 'A verified phone factor already exists, unenroll the existing factor to continue');
    }
    await q("delete from auth.mfa_factors where user_id = $1 and factor_type = 'phone' and phone = $2 and status = 'unverified'", [user.id, phone]);
    await validateNewFactor(deps, q, user, p.friendly_name, session);
    await q(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, phone)
       values ($1, $2, $3, 'phone', 'unverified', now(), now(), $4)`,
      [id, user.id, p.friendly_name, phone],
    );
    await audit(q, user, 'factor_in_progress', { factor_id: id, factor_type: 'phone' });
  });
  return c.json({ id, type: 'phone', friendly_name: p.friendly_name, phone: p.phone });
}

/** Does `code` match the secret now, one 30-second step either way? */
export function totpCodeValid(secret: string, code: string, timestamp = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secret), ...TOTP_PARAMS, timestamp, window: TOTP_WINDOW });
  return delta !== null;
}

/** validateChallenge: the caller's challenge of this factor, unused, from the same address, fresh. */
async function validateChallenge(c: Ctx, deps: AuthDeps, factor: FactorRow, challengeId: string): Promise<ChallengeRow> {
  const [challenge] = UUID.test(challengeId)
    ? await deps.db.query<ChallengeRow>('select id, factor_id, created_at, verified_at, host(ip_address) as ip_address from auth.mfa_challenges where id = $1 and factor_id = $2', [
        challengeId,
        factor.id,
      ])
    : [];
  if (!challenge) throw unprocessable(ErrorCode.mfaFactorNotFound, 'MFA factor with the provided challenge ID not found');
  if (challenge.verified_at !== null || challenge.ip_address !== challengeIp(c)) {
    throw unprocessable(ErrorCode.mfaIpAddressMismatch, 'Challenge and verify IP addresses mismatch.');
  }
  const created = epochMs(challenge.created_at) ?? 0;
  if (Date.now() > created + deps.settings.mfa.challengeExpirySeconds * 1000) {
    await deps.db.query('delete from auth.mfa_challenges where id = $1', [challenge.id]);
    throw unprocessable(
      ErrorCode.mfaChallengeExpired,
      `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`,
    );
  }
  return challenge;
}

async function verifyTotp(c: Ctx, deps: AuthDeps, auth: Authenticated, factor: FactorRow, p: z.output<typeof verifyBody>): Promise<Response> {
  const challenge = await validateChallenge(c, deps, factor, p.challenge_id);
  if (!factor.secret) throw internal('Database error verifying MFA TOTP secret');
  if (!totpCodeValid(factor.secret, p.code)) throw unprocessable(ErrorCode.mfaVerificationFailed, 'Invalid TOTP code entered');
  const session = auth.session;
  if (!session) throw internal('Cannot read SessionId claim as UUID');
  const ip = challengeIp(c);
  const response = await deps.db.tx(async (q) => {
    await audit(q, auth.user, 'verification_attempted', { factor_id: factor.id, challenge_id: challenge.id, factor_type: factor.factor_type });
    await q('update auth.mfa_challenges set verified_at = now() where id = $1', [challenge.id]);
    if (factor.status !== 'verified') await q("update auth.mfa_factors set status = 'verified', updated_at = now() where id = $1", [factor.id]);
    const user = await reloadUser(q, auth.user);
    // updateMFASessionAndClaims: the AMR claim, a swapped refresh token, aal2 on the session.
    await addAmrClaim(q, session.id, 'totp');
    const [current] = await q<{ token: string }>(
      'select token from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1',
      [session.id],
    );
    const refreshToken = await rotateRefreshToken(q, user.id, session.id, current?.token ?? null);
    await q("update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = now() where id = $1", [session.id, factor.id]);
    const access = await generateAccessToken(deps, q, user, session.id, 'totp', ip);
    // Every weaker session of the user ends; unverified factors of this type go.
    await q("delete from auth.sessions where user_id = $1 and aal < 'aal2'", [user.id]);
    await q("delete from auth.mfa_factors where user_id = $1 and status = 'unverified' and factor_type = $2", [user.id, factor.factor_type]);
    return sessionResponse(access, refreshToken, await reloadUser(q, user));
  });
  return c.json(response);
}

/**
 * Deletes a factor after GoTrue's DowngradeSessionsToAAL1: the sessions it raised lose its AMR
 * claim and aal2. Used by unenroll and by the admin API.
 */
export async function deleteFactor(q: Query, userId: string, factor: Pick<FactorRow, 'id' | 'factor_type'>): Promise<void> {
  const amr = factor.factor_type === 'totp' ? 'totp' : `mfa/${factor.factor_type}`;
  await q(
    `delete from auth.mfa_amr_claims where authentication_method = $2
       and session_id in (select id from auth.sessions where user_id = $1 and factor_id = $3)`,
    [userId, amr, factor.id],
  );
  await q("update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where user_id = $1 and factor_id = $2", [userId, factor.id]);
  await q('delete from auth.mfa_factors where id = $1', [factor.id]);
}

export function factorRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const mfa = deps.settings.mfa;
  const switches = (t: FactorType) => (t === 'totp' ? mfa.totp : t === 'phone' ? mfa.phone : mfa.webauthn);

  app.post('/factors', async (c) => {
    const { user, session } = await signedInNonAnonymous(c, deps);
    if (!session) throw internal('A valid session and a registered user are required to enroll a factor');
    const p = await readBody(c, enrollBody, 'api.EnrollFactorParams');
    if (!isFactorType(p.factor_type)) throw badRequest(ErrorCode.validationFailed, 'factor_type needs to be totp, phone, or webauthn');
    if (!switches(p.factor_type).enroll || p.factor_type === 'webauthn') {
      // WebAuthn needs a browser authenticator, which the local stack does not drive.
      throw unprocessable(ENROLL_DISABLED[p.factor_type], `MFA enroll is disabled for ${LABEL[p.factor_type]}`);
    }
    if (p.factor_type === 'phone') return enrollPhone(c, deps, user, session, p);
    return enrollTotp(c, deps, user, session, p);
  });

  app.post('/factors/:id/challenge', async (c) => {
    const { user } = await signedInNonAnonymous(c, deps);
    const factor = ownedFactor(user, c.req.param('id'));
    enforceRateLimit(c, deps.limiters.factorChallenge);
    const type = factor.factor_type as FactorType;
    if (!switches(type).verify || type === 'webauthn') {
      throw unprocessable(VERIFY_DISABLED[type], `MFA verification is disabled for ${LABEL[type]}`);
    }
    const { channel } = await readBody(c, challengeBody, 'api.ChallengeFactorParams');
    if (type === 'phone') {
      // challengePhoneFactor: channel, max_frequency, then the SMS, which needs a provider.
      validateChannel(channel || 'sms');
      const last = epochMs(factor.last_challenged_at);
      if (last !== null && last + PHONE_MFA_MAX_FREQUENCY_MS > Date.now()) {
        const left = Math.trunc((last + PHONE_MFA_MAX_FREQUENCY_MS - Date.now()) / 1000);
        throw tooManyRequests(ErrorCode.overSmsSendRateLimit, `For security purposes, you can only request this after ${left} seconds.`);
      }
      throw internal('Failed to get SMS provider').withInternal('no SMS provider runs locally: phone factors cannot be challenged');
    }
    const id = randomUUID();
    const [row] = await deps.db.tx(async (q) => {
      const inserted = await q<{ created_at: string }>(
        'insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, now(), $3) returning created_at',
        [id, factor.id, challengeIp(c)],
      );
      await q('update auth.mfa_factors set last_challenged_at = now() where id = $1', [factor.id]);
      await audit(q, user, 'challenge_created', { factor_id: factor.id, factor_status: factor.status });
      return inserted;
    });
    const expiresAt = Math.floor((epochMs(row!.created_at) ?? Date.now()) / 1000) + mfa.challengeExpirySeconds;
    return c.json({ id, type, expires_at: expiresAt });
  });

  app.post('/factors/:id/verify', async (c) => {
    const auth = await signedInNonAnonymous(c, deps);
    const factor = ownedFactor(auth.user, c.req.param('id'));
    enforceRateLimit(c, deps.limiters.factorVerify);
    const p = await readBody(c, verifyBody, 'api.VerifyFactorParams');
    if (p.challenge_id && !UUID.test(p.challenge_id)) {
      throw badRequest(ErrorCode.badJson, 'Could not parse request body as JSON: uuid: incorrect UUID length');
    }
    if (!p.code && factor.factor_type !== 'webauthn') throw badRequest(ErrorCode.validationFailed, 'Code needs to be non-empty');
    const type = factor.factor_type as FactorType;
    if (!switches(type).verify || type === 'webauthn') {
      const code = type === 'webauthn' ? ErrorCode.mfaWebAuthnEnrollDisabled : VERIFY_DISABLED[type];
      throw unprocessable(code, `MFA verification is disabled for ${LABEL[type]}`);
    }
    if (type === 'phone') {
      // No phone challenge can exist locally (see challenge), so there is nothing to verify against.
      await validateChallenge(c, deps, factor, p.challenge_id);
      throw unprocessable(ErrorCode.mfaVerificationFailed, 'Invalid MFA Phone code entered');
    }
    return verifyTotp(c, deps, auth, factor, p);
  });

  app.delete('/factors/:id', async (c) => {
    const { user, session } = await signedInNonAnonymous(c, deps);
    const factor = ownedFactor(user, c.req.param('id'));
    if (!session) throw internal('A valid session and factor are required to unenroll a factor');
    if (factor.status === 'verified' && session.aal !== 'aal2') {
      throw unprocessable(ErrorCode.insufficientAal, 'AAL2 required to unenroll verified factor');
    }
    await deps.db.tx(async (q) => {
      await deleteFactor(q, user.id, factor);
      await audit(q, user, 'factor_unenrolled', { factor_id: factor.id, factor_status: factor.status, session_id: session.id });
    });
    return c.json({ id: factor.id });
  });

  return app;
}

