// POST /signup: email or phone + password sign-up (a session when confirmations are off, else the user
// and a confirmation email), and anonymous sign-in for an empty body (api/signup.go, anonymous.go).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { GatewayEnv } from '../../kit/service.ts';
import { createFlowState, flowFromChallenge, sendConfirmation, validateEmail, validatePkceParams } from '../accounts.ts';
import { audit } from '../audit.ts';
import { hashPassword } from '../crypto.ts';
import type { AuthDeps } from '../deps.ts';
import { AuthError, badRequest, ErrorCode, internal, unprocessable } from '../errors.ts';
import { enforceRateLimit, grantInfo, obj, readBody, referrer, requestAud, str, type Ctx } from '../http.ts';
import { checkPassword } from '../password.ts';
import { sendPhoneOtp, validateChannel, validatePhone } from '../phone.ts';
import { issueSession } from '../tokens.ts';
import {
  baseIdentityData,
  confirmEmail,
  createIdentity,
  confirmPhone,
  findDuplicateEmail,
  findIdentity,
  findUserByPhone,
  insertUser,
  reloadUser,
  updateAppMetadataProviders,
  updateUserMetadata,
  type User,
} from '../users.ts';

export const signupBody = z.object({
  email: str,
  phone: str,
  password: str,
  data: obj,
  channel: str,
  code_challenge: str,
  code_challenge_method: str,
});
export type SignupBody = z.output<typeof signupBody>;

class UserExists extends Error {}

/** The fake user a repeated sign-up of a confirmed address gets, so it reveals nothing. */
function sanitizedUser(user: User, data: Record<string, unknown>, aud: string, provider: 'email' | 'phone'): Record<string, unknown> {
  const now = new Date().toISOString();
  const json = user.toJSON();
  for (const key of ['new_email', 'last_sign_in_at', 'confirmed_at', 'email_change_sent_at', 'email_confirmed_at', 'phone_confirmed_at']) {
    delete json[key];
  }
  return {
    ...json,
    id: randomUUID(),
    aud,
    role: '',
    ...(provider === 'email' ? { phone: '' } : { email: '' }),
    confirmation_sent_at: now,
    app_metadata: { provider, providers: [provider] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
  };
}

export async function signup(c: Ctx, deps: AuthDeps, params: SignupBody): Promise<Response> {
  const s = deps.settings;
  if (s.disableSignup) throw unprocessable(ErrorCode.signupDisabled, 'Signups not allowed for this instance');
  const data = params.data ?? {};
  if (!params.password) throw badRequest(ErrorCode.validationFailed, 'Signup requires a valid password');
  checkPassword(params.password, s.password);
  if (params.email && params.phone) {
    throw badRequest(ErrorCode.validationFailed, 'Only an email address or phone number should be provided on signup.');
  }
  const provider = params.email ? 'email' : 'phone';
  if (provider === 'phone') validateChannel(params.channel);
  if (params.phone && params.code_challenge) throw badRequest(ErrorCode.validationFailed, 'PKCE not supported for phone signups');
  validatePkceParams(params.code_challenge_method, params.code_challenge);
  let email = '';
  let phone = '';
  if (provider === 'phone') {
    if (!s.phoneEnabled) throw badRequest(ErrorCode.phoneProviderDisabled, 'Phone signups are disabled');
    phone = validatePhone(params.phone);
  } else {
    if (!s.email.enabled) throw badRequest(ErrorCode.emailProviderDisabled, 'Email signups are disabled');
    email = validateEmail(params.email);
  }
  const aud = requestAud(c, s);
  const flow = flowFromChallenge(params.code_challenge);
  const redirectTo = referrer(c, s);
  const grant = grantInfo(c);
  let user = provider === 'email' ? await findDuplicateEmail(deps.db.query, email, aud) : await findUserByPhone(deps.db.query, phone, aud);
  const confirmed = (u: User) => (provider === 'email' ? u.isConfirmed : u.isPhoneConfirmed);
  // Hashing is slow: never inside the transaction.
  const passwordHash = user ? '' : await hashPassword(params.password);

  try {
    user = await deps.db.tx(async (q) => {
      let u = user;
      if (u) {
        // Unconfirmed: the claimed identity is unproven, so nothing about the user changes.
        if (confirmed(u)) throw new UserExists();
      } else {
        try {
          u = await insertUser(q, {
            aud,
            role: 'authenticated',
            email,
            phone,
            encryptedPassword: passwordHash,
            appMetadata: { provider, providers: [provider] },
            userMetadata: data,
          });
        } catch (e) {
          throw internal('Database error saving new user').withInternal(e instanceof Error ? e.message : String(e));
        }
        u = await reloadUser(q, u);
      }
      let identity = await findIdentity(q, u.id, provider);
      if (!identity) {
        const identityData = baseIdentityData(u.id, { email: u.email });
        for (const [k, v] of Object.entries(data)) if (!(k in identityData)) identityData[k] = v;
        identity = await createIdentity(q, u, provider, identityData);
        // RemoveUnconfirmedIdentities: the new identity's data becomes the user metadata.
        await updateUserMetadata(q, u, identity.identity_data ?? {});
        await q('delete from auth.identities where user_id = $1 and id <> $2', [u.id, identity.id]);
        await updateAppMetadataProviders(q, u);
      }
      if (provider === 'phone' && !u.isPhoneConfirmed) {
        if (s.sms.autoconfirm) {
          await audit(q, u, 'user_signedup', { provider, channel: params.channel || 'sms' });
          await confirmPhone(q, u);
        } else {
          await audit(q, u, 'user_confirmation_requested', { provider });
          await sendPhoneOtp(deps, q, u, phone, 'confirmation');
        }
      } else if (provider === 'email' && !u.isConfirmed) {
        if (s.email.autoconfirm) {
          await audit(q, u, 'user_signedup', { provider: 'email' });
          await confirmEmail(q, u);
        } else {
          await audit(q, u, 'user_confirmation_requested', { provider: 'email' });
          if (flow === 'pkce') {
            await createFlowState(q, {
              providerType: 'email',
              method: 'email/signup',
              codeChallenge: params.code_challenge,
              codeChallengeMethod: params.code_challenge_method,
              userId: u.id,
            });
          }
          await sendConfirmation(deps, q, u, flow, redirectTo);
        }
      }
      return reloadUser(q, u);
    });
  } catch (e) {
    if (!(e instanceof UserExists) || !user) throw e;
    const existing = user;
    await deps.db.tx((q) => audit(q, existing, 'user_repeated_signup', { provider }));
    // GoTrue checks Mailer.Autoconfirm || Sms.Autoconfirm; SMS autoconfirm only counts here while
    // phone sign-up is on, so a project without phones keeps the obfuscated answer (as hosted).
    if (s.email.autoconfirm || (s.phoneEnabled && s.sms.autoconfirm)) {
      throw unprocessable(ErrorCode.userAlreadyExists, 'User already registered');
    }
    return c.json(sanitizedUser(existing, data, aud, provider));
  }

  const signedUp = user;
  // GoTrue checks either confirmation; only the one this sign-up proved may open a session, or
  // signing up with the unconfirmed address of a phone-confirmed user would sign in as them.
  if (confirmed(signedUp)) {
    const session = await deps.db.tx(async (q) => {
      await audit(q, signedUp, 'login', { provider });
      return issueSession(deps, q, signedUp, 'password', grant);
    });
    c.set('userId', signedUp.id);
    return c.json(session);
  }
  const json = signedUp.toJSON();
  if (signedUp.row.invited_at !== null) {
    json.user_metadata = {};
    json.identities = [];
  }
  return c.json(json);
}

async function signupAnonymously(c: Ctx, deps: AuthDeps, params: SignupBody): Promise<Response> {
  if (deps.settings.disableSignup) throw unprocessable(ErrorCode.signupDisabled, 'Signups not allowed for this instance');
  const aud = requestAud(c, deps.settings);
  const grant = grantInfo(c);
  try {
    const session = await deps.db.tx(async (q) => {
      const user = await insertUser(q, {
        aud,
        role: 'authenticated',
        encryptedPassword: '',
        appMetadata: {},
        userMetadata: params.data ?? {},
        isAnonymous: true,
      });
      return issueSession(deps, q, await reloadUser(q, user), 'anonymous', grant);
    });
    return c.json(session);
  } catch (e) {
    if (e instanceof AuthError) throw e;
    throw internal('Database error creating anonymous user').withInternal(e instanceof Error ? e.message : String(e));
  }
}

export function signupRoutes(deps: AuthDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/signup', async (c) => {
    const params = await readBody(c, signupBody, 'api.SignupParams');
    if (!params.email && !params.phone) {
      if (!deps.settings.anonymousUsers) throw unprocessable(ErrorCode.anonymousProviderDisabled, 'Anonymous sign-ins are disabled');
      enforceRateLimit(c, deps.limiters.anonymousSignIns);
      return signupAnonymously(c, deps, params);
    }
    enforceRateLimit(c, deps.limiters.signups);
    return signup(c, deps, params);
  });
  return app;
}
