// GoTrue's error catalog and its two wire formats, in one place. Handlers throw `AuthError`s made
// by the factories below (status and code fixed together, as supabase/auth's apierrors does);
// `renderError` turns any thrown value into the body, status and headers GoTrue would send.
import { isConnectionFailure } from '../kit/db-errors.ts';

/** The `error_code`s auth-js branches on (supabase/auth internal/api/apierrors/errorcode.go). */
export const ErrorCode = {
  unknown: 'unknown',
  unexpectedFailure: 'unexpected_failure',
  validationFailed: 'validation_failed',
  badJson: 'bad_json',
  emailExists: 'email_exists',
  phoneExists: 'phone_exists',
  badJwt: 'bad_jwt',
  notAdmin: 'not_admin',
  noAuthorization: 'no_authorization',
  userNotFound: 'user_not_found',
  sessionNotFound: 'session_not_found',
  sessionExpired: 'session_expired',
  refreshTokenNotFound: 'refresh_token_not_found',
  refreshTokenAlreadyUsed: 'refresh_token_already_used',
  flowStateNotFound: 'flow_state_not_found',
  flowStateExpired: 'flow_state_expired',
  signupDisabled: 'signup_disabled',
  userBanned: 'user_banned',
  emailProviderDisabled: 'email_provider_disabled',
  phoneProviderDisabled: 'phone_provider_disabled',
  insufficientAal: 'insufficient_aal',
  emailNotConfirmed: 'email_not_confirmed',
  phoneNotConfirmed: 'phone_not_confirmed',
  userAlreadyExists: 'user_already_exists',
  conflict: 'conflict',
  reauthenticationNeeded: 'reauthentication_needed',
  reauthenticationNotValid: 'reauthentication_not_valid',
  samePassword: 'same_password',
  currentPasswordInvalid: 'current_password_invalid',
  currentPasswordRequired: 'current_password_required',
  otpExpired: 'otp_expired',
  otpDisabled: 'otp_disabled',
  weakPassword: 'weak_password',
  overRequestRateLimit: 'over_request_rate_limit',
  overEmailSendRateLimit: 'over_email_send_rate_limit',
  overSmsSendRateLimit: 'over_sms_send_rate_limit',
  badCodeVerifier: 'bad_code_verifier',
  anonymousProviderDisabled: 'anonymous_provider_disabled',
  invalidCredentials: 'invalid_credentials',
  emailAddressInvalid: 'email_address_invalid',
  emailAddressNotAuthorized: 'email_address_not_authorized',
  requestEntityTooLarge: 'request_entity_too_large',
  featureDisabled: 'feature_disabled',
  manualLinkingDisabled: 'manual_linking_disabled',
  badOAuthCallback: 'bad_oauth_callback',
  badOAuthState: 'bad_oauth_state',
  mfaFactorNotFound: 'mfa_factor_not_found',
  mfaFactorNameConflict: 'mfa_factor_name_conflict',
  mfaVerifiedFactorExists: 'mfa_verified_factor_exists',
  tooManyEnrolledMfaFactors: 'too_many_enrolled_mfa_factors',
  mfaIpAddressMismatch: 'mfa_ip_address_mismatch',
  mfaChallengeExpired: 'mfa_challenge_expired',
  mfaVerificationFailed: 'mfa_verification_failed',
  mfaTotpVerifyDisabled: 'mfa_totp_verify_not_enabled',
  mfaPhoneVerifyDisabled: 'mfa_phone_verify_not_enabled',
  mfaWebAuthnVerifyDisabled: 'mfa_webauthn_verify_not_enabled',
  samlProviderDisabled: 'saml_provider_disabled',
  providerDisabled: 'provider_disabled',
  web3ProviderDisabled: 'web3_provider_disabled',
  web3UnsupportedChain: 'web3_unsupported_chain',
  identityNotFound: 'identity_not_found',
  unexpectedAudience: 'unexpected_audience',
  singleIdentityNotDeletable: 'single_identity_not_deletable',
  emailConflictIdentityNotDeletable: 'email_conflict_identity_not_deletable',
  identityAlreadyExists: 'identity_already_exists',
  smsSendFailed: 'sms_send_failed',
  mfaTotpEnrollDisabled: 'mfa_totp_enroll_not_enabled',
  mfaPhoneEnrollDisabled: 'mfa_phone_enroll_not_enabled',
  mfaWebAuthnEnrollDisabled: 'mfa_webauthn_enroll_not_enabled',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An HTTP error as GoTrue's `HTTPError`: status, optional code, message. */
export class AuthError extends Error {
  readonly status: number;
  readonly code: ErrorCodeValue | undefined;
  /** Set on weak-password errors: the `weak_password.reasons` array. */
  readonly reasons: string[] | undefined;
  /**
   * When thrown inside a transaction, commit what was done before throwing (GoTrue's
   * `storage.NewCommitWithError`, used when refresh-token reuse revokes a session).
   */
  commit = false;
  /** Detail for the server log only, never sent. */
  internal: string | undefined;

  constructor(status: number, code: ErrorCodeValue | undefined, message: string, reasons?: string[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.reasons = reasons;
  }

  /** Marks the error as one that keeps the transaction's writes. */
  committing(): this {
    this.commit = true;
    return this;
  }

  withInternal(detail: string): this {
    this.internal = detail;
    return this;
  }
}

/** OAuth2-style errors (`{error, error_description}`, always 400), e.g. a missing refresh token. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export const badRequest = (code: ErrorCodeValue, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: ErrorCodeValue, message: string) => new AuthError(401, code, message);
export const forbidden = (code: ErrorCodeValue, message: string) => new AuthError(403, code, message);
export const notFound = (code: ErrorCodeValue, message: string) => new AuthError(404, code, message);
export const conflict = (message: string) => new AuthError(409, ErrorCode.conflict, message);
export const unprocessable = (code: ErrorCodeValue, message: string) => new AuthError(422, code, message);
export const tooManyRequests = (code: ErrorCodeValue, message: string) => new AuthError(429, code, message);
export const internal = (message: string) => new AuthError(500, ErrorCode.unexpectedFailure, message);
/**
 * The database cannot be reached (down, restarting, out of connections). GoTrue has no code of
 * its own for this; the body keeps its shape with the catch-all code, and 503 says "retry".
 */
export const databaseUnavailable = () =>
  new AuthError(503, ErrorCode.unexpectedFailure, 'Database temporarily unavailable, please try again');
export const weakPassword = (message: string, reasons: string[]) => new AuthError(422, ErrorCode.weakPassword, message, reasons);

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024 = '2024-01-01';

/**
 * The API version a request asked for: `2024-01-01` for any valid date on or after it, else
 * the initial version (also for a malformed header, which GoTrue only logs).
 */
export function negotiateApiVersion(header: string | undefined): 'initial' | '2024-01-01' {
  if (!header) return 'initial';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(header);
  if (!m) return 'initial';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return 'initial';
  return header >= API_VERSION_2024 ? API_VERSION_2024 : 'initial';
}

export interface RenderedError {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * The response GoTrue sends for `err`. With API version 2024-01-01: `{code, message}` and the
 * version echoed; without: `{code: <status>, error_code, msg}` (plus `error_id` for 5xx).
 * `x-sb-error-code` is always set.
 */
export function renderError(err: unknown, apiVersionHeader: string | undefined, requestId?: string): RenderedError {
  const version = negotiateApiVersion(apiVersionHeader);
  const headers: Record<string, string> = {};
  if (version !== 'initial') headers[API_VERSION_HEADER] = version;

  if (err instanceof OAuthError) {
    return { status: 400, body: { error: err.error, error_description: err.description }, headers };
  }

  const e =
    err instanceof AuthError
      ? err
      : isConnectionFailure(err)
        ? databaseUnavailable()
        : new AuthError(500, ErrorCode.unexpectedFailure, 'Unexpected failure, please check server logs for more information');
  const code: string = e.code ?? (e.status === 500 ? ErrorCode.unexpectedFailure : ErrorCode.unknown);
  headers['x-sb-error-code'] = code;

  let body: Record<string, unknown>;
  if (version !== 'initial') {
    body = { code, message: e.message };
  } else {
    body = { code: e.status, error_code: code, msg: e.message };
    if (e.status >= 500 && requestId) body.error_id = requestId;
  }
  if (e.reasons) body.weak_password = { reasons: e.reasons };
  return { status: e.status, body, headers };
}
