// Phone numbers and SMS codes, after GoTrue's api/phone.go. No SMS provider runs locally: the
// numbers of `[auth.sms.test_otp]` get their fixed code (GoTrue sends nothing to them either), and
// a code for any other number fails as GoTrue fails without a provider.
import { tokenHash } from './crypto.ts';
import { epochMs, type Query } from './db.ts';
import type { AuthDeps } from './deps.ts';
import { AuthError, badRequest, ErrorCode, tooManyRequests } from './errors.ts';
import { audit } from './audit.ts';
import {
  baseIdentityData,
  clearOneTimeTokens,
  confirmPhone,
  createIdentity,
  createOneTimeToken,
  findIdentity,
  NOW,
  updateIdentityData,
  updateUser,
  type User,
} from './users.ts';

const E164 = /^[1-9][0-9]{1,14}$/;

export const INVALID_CHANNEL =
  "Invalid channel, supported values are 'sms' or 'whatsapp'. 'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider.";

/** GoTrue's validatePhone: "+" and spaces dropped, then E.164 digits. */
export function validatePhone(phone: string): string {
  const formatted = phone.replace(/^\+/, '').replaceAll(' ', '');
  if (!E164.test(formatted)) throw badRequest(ErrorCode.validationFailed, 'Invalid phone number format (E.164 required)');
  return formatted;
}

/** IsValidMessageChannel without a provider: only `sms` (WhatsApp needs Twilio). */
export function validateChannel(channel: string): void {
  if (channel !== '' && channel !== 'sms') throw badRequest(ErrorCode.validationFailed, INVALID_CHANNEL);
}

/** The fixed code `[auth.sms.test_otp]` gives this number, if any. */
export function testOtp(deps: AuthDeps, phone: string): string | undefined {
  return deps.settings.sms.testOtp[phone];
}

export type PhoneOtpKind = 'confirmation' | 'phone_change' | 'reauthentication';

/**
 * sendPhoneConfirmation: `max_frequency` first (as for real codes), then the test code, stored
 * hashed with the number in the user row and auth.one_time_tokens.
 */
export async function sendPhoneOtp(deps: AuthDeps, q: Query, user: User, phone: string, kind: PhoneOtpKind): Promise<string> {
  const r = user.row;
  const sentAt = kind === 'confirmation' ? r.confirmation_sent_at : kind === 'phone_change' ? r.phone_change_sent_at : r.reauthentication_sent_at;
  const sent = epochMs(sentAt);
  const maxFrequency = deps.settings.sms.maxFrequencyMs;
  if (sent !== null && sent + maxFrequency > Date.now()) {
    const left = Math.trunc((sent + maxFrequency - Date.now()) / 1000);
    throw tooManyRequests(ErrorCode.overSmsSendRateLimit, `For security purposes, you can only request this after ${left} seconds.`);
  }
  const otp = testOtp(deps, phone);
  if (otp === undefined) {
    throw new AuthError(500, ErrorCode.unexpectedFailure, 'Unable to get SMS provider').withInternal(
      `no SMS provider runs locally; add ${phone} to [auth.sms.test_otp]`,
    );
  }
  const hash = tokenHash(phone, otp);
  if (kind === 'confirmation') {
    await updateUser(q, user, { confirmation_token: hash, confirmation_sent_at: NOW });
    await createOneTimeToken(q, user.id, user.phone, hash, 'confirmation_token');
  } else if (kind === 'phone_change') {
    await updateUser(q, user, { phone_change: phone, phone_change_token: hash, phone_change_sent_at: NOW });
    await createOneTimeToken(q, user.id, phone, hash, 'phone_change_token');
  } else {
    await updateUser(q, user, { reauthentication_token: hash, reauthentication_sent_at: NOW });
    await createOneTimeToken(q, user.id, user.phone, hash, 'reauthentication_token');
  }
  return 'test-otp';
}

/** smsVerify: the number is confirmed (sms) or becomes the user's (phone_change). */
export async function smsVerify(q: Query, user: User, type: 'sms' | 'phone_change', phone: string): Promise<void> {
  if (type === 'sms') {
    await audit(q, user, 'user_signedup', { provider: 'phone' });
    await confirmPhone(q, user);
  } else {
    await audit(q, user, 'user_modified');
    const identity = await findIdentity(q, user.id, 'phone');
    if (!identity) await createIdentity(q, user, 'phone', baseIdentityData(user.id, { phone, phoneVerified: true }));
    else await updateIdentityData(q, identity, { phone, phone_verified: true });
    await updateUser(q, user, { phone: user.row.phone_change, phone_change: '', phone_change_token: '', phone_confirmed_at: NOW });
    await clearOneTimeTokens(q, user.id);
  }
  if (user.isAnonymous) await updateUser(q, user, { is_anonymous: false });
}

