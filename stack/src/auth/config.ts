// The auth service's settings: `[auth]` of supabase/config.toml as GoTrue sees it once the
// Supabase CLI has turned it into GOTRUE_* variables, plus `AUTH_*` environment overrides for
// test instances (e.g. AUTH_RATE_LIMIT_EMAIL_SENT=2, AUTH_HOOK_CUSTOM_ACCESS_TOKEN_URI=...).
import { authSchema, type AuthConfig } from '../config.ts';

export interface AuthSettings {
  siteUrl: string;
  /** `additional_redirect_urls`, as glob patterns. */
  redirectAllowList: string[];
  /** API_EXTERNAL_URL + /auth/v1: the JWT issuer and the base of emailed links. */
  externalUrl: string;
  jwtExpiry: number;
  aud: string;
  adminRoles: string[];
  refreshTokenRotation: boolean;
  refreshTokenReuseInterval: number;
  disableSignup: boolean;
  anonymousUsers: boolean;
  /** `enable_manual_linking`: linkIdentity / unlinkIdentity. */
  manualLinking: boolean;
  password: { minLength: number; requiredCharacters: string[] };
  email: {
    enabled: boolean;
    magicLinkEnabled: boolean;
    autoconfirm: boolean;
    secureEmailChange: boolean;
    updatePasswordRequireReauthentication: boolean;
    maxFrequencyMs: number;
    otpLength: number;
    otpExpiry: number;
  };
  phoneEnabled: boolean;
  sms: {
    autoconfirm: boolean;
    maxFrequencyMs: number;
    otpLength: number;
    /** Seconds an SMS code stays valid (the CLI sets GOTRUE_SMS_OTP_EXP=6000, length 6). */
    otpExpiry: number;
    /** Phone (E.164 without "+") → fixed code; no SMS is sent to these numbers. */
    testOtp: Record<string, string>;
  };
  mfa: {
    maxEnrolledFactors: number;
    maxVerifiedFactors: number;
    challengeExpirySeconds: number;
    /** Unverified factors without a challenge are dropped after this long (GoTrue's default). */
    factorExpirySeconds: number;
    totp: MfaFactorSwitches;
    phone: MfaFactorSwitches;
    webauthn: MfaFactorSwitches;
  };
  /** Events per window; see ratelimit.ts for how each is applied. */
  rateLimit: {
    emailSent: number;
    anonymousUsers: number;
    tokenRefresh: number;
    signInSignUps: number;
    tokenVerifications: number;
    web3: number;
    /** MFA challenges and verifications per minute (GOTRUE_MFA_RATE_LIMIT_CHALLENGE_AND_VERIFY). */
    mfaChallengeAndVerify: number;
  };
  flowStateExpiryMs: number;
  hooks: { customAccessToken: { enabled: boolean; uri: string; functionName: string } | undefined };
  /** Enabled external OAuth providers, for GET /settings. */
  external: Record<string, boolean>;
  /** `[auth.web3.solana]` / `[auth.web3.ethereum]` enabled. */
  web3: { solana: boolean; ethereum: boolean };
}

export interface MfaFactorSwitches {
  enroll: boolean;
  verify: boolean;
}

/** The character sets each `password_requirements` value demands (supabase/cli, split on `:`). */
const REQUIRED_CHARACTERS: Record<AuthConfig['password_requirements'], string[]> = {
  '': [],
  letters_digits: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits: ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits_symbols: [
    'abcdefghijklmnopqrstuvwxyz',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    '0123456789',
    '!@#$%^&*()_+-=[]{};\'\\:"|<>?,./`~',
  ],
};

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string (`"1s"`, `"1m30s"`, `"250ms"`). */
export function parseGoDuration(value: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
    matched = re.lastIndex;
  }
  if (matched !== value.length || value === '') throw new Error(`invalid duration "${value}"`);
  return total;
}

/** `pg-functions://postgres/<schema>/<function>` → `"schema"."function"`, as GoTrue quotes it. */
export function hookFunctionName(uri: string): string {
  const u = new URL(uri);
  if (u.protocol !== 'pg-functions:') throw new Error(`unsupported hook URI "${uri}": only pg-functions:// hooks run locally`);
  const parts = u.pathname.split('/');
  const schema = parts[1];
  const fn = parts[2];
  if (!schema || !fn || parts.length !== 3) throw new Error(`invalid hook URI "${uri}": expected pg-functions://postgres/<schema>/<function>`);
  const quote = (s: string) => `"${decodeURIComponent(s).replaceAll('"', '""')}"`;
  return `${quote(schema)}.${quote(fn)}`;
}

/** Environment names of the overridable keys: `AUTH_` + the TOML path, upper-cased. */
export function envName(path: string[]): string {
  return `AUTH_${path.join('_').toUpperCase()}`;
}

function coerce(raw: string, like: unknown): unknown {
  if (typeof like === 'number') return Number(raw);
  if (typeof like === 'boolean' || like === undefined) {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
  }
  if (Array.isArray(like)) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  return raw;
}

/** Applies `AUTH_*` overrides to the parsed `[auth]` table and validates the result again. */
export function withEnvOverrides(auth: AuthConfig, env: NodeJS.ProcessEnv): AuthConfig {
  const raw = structuredClone(auth) as Record<string, unknown>;
  const visit = (obj: Record<string, unknown>, path: string[], keys: string[]) => {
    for (const key of keys) {
      const value = env[envName([...path, key])];
      if (value !== undefined) obj[key] = coerce(value, obj[key]);
    }
  };
  visit(raw, [], [
    'site_url', 'additional_redirect_urls', 'jwt_expiry', 'enable_refresh_token_rotation', 'refresh_token_reuse_interval',
    'enable_signup', 'enable_anonymous_sign_ins', 'enable_manual_linking', 'minimum_password_length', 'password_requirements',
  ]);
  const sms = (raw.sms ?? {}) as Record<string, unknown>;
  visit(sms, ['sms'], ['enable_signup', 'enable_confirmations', 'max_frequency']);
  // AUTH_SMS_TEST_OTP=4155550100=123456,4155550101=654321
  const testOtp = env[envName(['sms', 'test_otp'])];
  if (testOtp !== undefined) {
    sms.test_otp = Object.fromEntries(
      testOtp
        .split(',')
        .map((pair) => pair.split('=').map((s) => s.trim()))
        .filter((pair) => pair.length === 2 && pair[0]),
    );
  }
  raw.sms = sms;
  const mfa = (raw.mfa ?? {}) as Record<string, unknown>;
  visit(mfa, ['mfa'], ['max_enrolled_factors']);
  for (const factor of ['totp', 'phone', 'web_authn']) {
    const table = (mfa[factor] ?? {}) as Record<string, unknown>;
    visit(table, ['mfa', factor], ['enroll_enabled', 'verify_enabled']);
    mfa[factor] = table;
  }
  raw.mfa = mfa;
  const rate = (raw.rate_limit ?? {}) as Record<string, unknown>;
  visit(rate, ['rate_limit'], ['email_sent', 'anonymous_users', 'token_refresh', 'sign_in_sign_ups', 'token_verifications', 'web3']);
  raw.rate_limit = rate;
  const email = (raw.email ?? {}) as Record<string, unknown>;
  visit(email, ['email'], ['enable_confirmations', 'double_confirm_changes', 'secure_password_change', 'max_frequency', 'otp_length', 'otp_expiry']);
  raw.email = email;
  const hook = (raw.hook ?? {}) as Record<string, unknown>;
  const cat = { enabled: false, uri: '', ...((hook.custom_access_token ?? {}) as Record<string, unknown>) };
  const uri = env[envName(['hook', 'custom_access_token', 'uri'])];
  if (uri !== undefined) {
    cat.uri = uri;
    cat.enabled = uri !== '';
  }
  visit(cat, ['hook', 'custom_access_token'], ['enabled']);
  if (hook.custom_access_token !== undefined || uri !== undefined) hook.custom_access_token = cat;
  raw.hook = hook;
  const parsed = authSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid AUTH_* override at auth.${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown error'}`);
  }
  return parsed.data;
}

/** `[auth.<section>.<name>] enabled = true` in the passthrough part of `[auth]`. */
function tableEnabled(auth: AuthConfig, section: string, name: string): boolean {
  const table = (auth as Record<string, unknown>)[section];
  const entry = table && typeof table === 'object' ? (table as Record<string, unknown>)[name] : undefined;
  return Boolean(entry && typeof entry === 'object' && (entry as { enabled?: unknown }).enabled === true);
}

export function resolveSettings(auth: AuthConfig, apiPort: number): AuthSettings {
  const email = auth.email;
  const cat = auth.hook.custom_access_token;
  const external: Record<string, boolean> = {};
  for (const [name, value] of Object.entries((auth.external ?? {}) as Record<string, unknown>)) {
    if (value && typeof value === 'object') external[name] = (value as { enabled?: unknown }).enabled === true;
  }
  return {
    siteUrl: auth.site_url,
    redirectAllowList: auth.additional_redirect_urls,
    externalUrl: `http://127.0.0.1:${apiPort}/auth/v1`,
    web3: {
      solana: tableEnabled(auth, 'web3', 'solana'),
      ethereum: tableEnabled(auth, 'web3', 'ethereum'),
    },
    jwtExpiry: auth.jwt_expiry,
    aud: 'authenticated',
    adminRoles: ['service_role', 'supabase_admin'],
    refreshTokenRotation: auth.enable_refresh_token_rotation,
    refreshTokenReuseInterval: auth.refresh_token_reuse_interval,
    disableSignup: !auth.enable_signup,
    anonymousUsers: auth.enable_anonymous_sign_ins,
    manualLinking: auth.enable_manual_linking,
    password: { minLength: auth.minimum_password_length, requiredCharacters: REQUIRED_CHARACTERS[auth.password_requirements] },
    email: {
      enabled: email.enabled !== false && email.enable_signup !== false,
      magicLinkEnabled: true,
      autoconfirm: !email.enable_confirmations,
      secureEmailChange: email.double_confirm_changes,
      updatePasswordRequireReauthentication: email.secure_password_change,
      maxFrequencyMs: parseGoDuration(email.max_frequency),
      otpLength: email.otp_length,
      otpExpiry: email.otp_expiry,
    },
    // The CLI turns `[auth.sms] enable_signup` into GOTRUE_EXTERNAL_PHONE_ENABLED (`enabled` is our older name).
    phoneEnabled: auth.sms.enable_signup ?? auth.sms.enabled ?? false,
    sms: {
      autoconfirm: !auth.sms.enable_confirmations,
      maxFrequencyMs: parseGoDuration(auth.sms.max_frequency),
      otpLength: 6,
      otpExpiry: 6000,
      testOtp: Object.fromEntries(Object.entries(auth.sms.test_otp).map(([phone, code]) => [phone.replace(/^\+/, '').replaceAll(' ', ''), code])),
    },
    mfa: {
      maxEnrolledFactors: auth.mfa.max_enrolled_factors,
      maxVerifiedFactors: 10,
      challengeExpirySeconds: 300,
      factorExpirySeconds: 300,
      totp: { enroll: auth.mfa.totp.enroll_enabled, verify: auth.mfa.totp.verify_enabled },
      phone: { enroll: auth.mfa.phone.enroll_enabled, verify: auth.mfa.phone.verify_enabled },
      webauthn: { enroll: auth.mfa.web_authn.enroll_enabled, verify: auth.mfa.web_authn.verify_enabled },
    },
    rateLimit: {
      emailSent: auth.rate_limit.email_sent,
      anonymousUsers: auth.rate_limit.anonymous_users,
      tokenRefresh: auth.rate_limit.token_refresh,
      signInSignUps: auth.rate_limit.sign_in_sign_ups,
      tokenVerifications: auth.rate_limit.token_verifications,
      web3: auth.rate_limit.web3,
      mfaChallengeAndVerify: 15,
    },
    flowStateExpiryMs: 300_000,
    hooks: {
      customAccessToken: cat?.enabled ? { enabled: true, uri: cat.uri, functionName: hookFunctionName(cat.uri) } : undefined,
    },
    external,
  };
}
