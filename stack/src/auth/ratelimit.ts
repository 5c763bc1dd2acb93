// GoTrue's rate limiters (internal/api/apilimiter): per-client token buckets refilled at
// `limit / 5 min` with a burst of 30 (tollbooth; `sign_in_sign_ups` at least its own value),
// anonymous sign-ins `limit / hour` with a burst of `limit`, and one global hourly window for
// sent emails.
import type { AuthSettings } from './config.ts';

/** A token bucket per key (x/time/rate semantics: starts full, refills continuously). */
export class KeyedTokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number; seen: number }>();
  private lastSweep = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly ttlMs = 3_600_000,
  ) {}

  allow(key: string, now = Date.now()): boolean {
    this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now, seen: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    b.seen = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets clients idle longer than the TTL, as tollbooth's expirable store does. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [k, b] of this.buckets) if (now - b.seen > this.ttlMs) this.buckets.delete(k);
  }
}

/** `events` per `intervalMs`, counted in fixed windows (GoTrue's IntervalLimiter). */
export class IntervalLimiter {
  private windowStart: number;
  private count = 0;

  constructor(
    readonly events: number,
    readonly intervalMs: number,
    now = Date.now(),
  ) {
    this.windowStart = now;
  }

  allow(now = Date.now()): boolean {
    const elapsed = Math.floor((now - this.windowStart) / this.intervalMs);
    if (elapsed > 0) {
      this.windowStart += elapsed * this.intervalMs;
      this.count = 0;
    }
    if (this.count < this.events) {
      this.count += 1;
      return true;
    }
    return false;
  }
}

export interface Limiters {
  /** POST /token (password and refresh grants): `token_refresh`. */
  token: KeyedTokenBucket;
  /** /verify: `token_verifications`. */
  verify: KeyedTokenBucket;
  /** These six share `sign_in_sign_ups` (GOTRUE_RATE_LIMIT_OTP), each with its own buckets. */
  signups: KeyedTokenBucket;
  recover: KeyedTokenBucket;
  resend: KeyedTokenBucket;
  magicLink: KeyedTokenBucket;
  otp: KeyedTokenBucket;
  user: KeyedTokenBucket;
  anonymousSignIns: KeyedTokenBucket;
  /** MFA challenges and verifications: 15 a minute per client, burst 30 (GoTrue's defaults). */
  factorChallenge: KeyedTokenBucket;
  factorVerify: KeyedTokenBucket;
  /** grant_type=web3: `web3`. */
  web3: KeyedTokenBucket;
  /** Emails sent by the whole instance per hour: `email_sent`. */
  email: IntervalLimiter;
}

const FIVE_MINUTES = 300;
const BURST = 30;

export function createLimiters(limits: AuthSettings['rateLimit']): Limiters {
  const per5m = (n: number) => new KeyedTokenBucket(n / FIVE_MINUTES, BURST);
  // `sign_in_sign_ups` is documented (config.toml, the dashboard) as "requests that can be made in
  // a 5 minute interval per IP address": a client may spend all N at once, never fewer than
  // GoTrue's burst of 30. The other limits keep GoTrue's burst as it is.
  const signIns = () => new KeyedTokenBucket(limits.signInSignUps / FIVE_MINUTES, Math.max(BURST, limits.signInSignUps));
  return {
    token: per5m(limits.tokenRefresh),
    verify: per5m(limits.tokenVerifications),
    signups: signIns(),
    recover: signIns(),
    resend: signIns(),
    magicLink: signIns(),
    otp: signIns(),
    user: signIns(),
    anonymousSignIns: new KeyedTokenBucket(limits.anonymousUsers / 3600, limits.anonymousUsers),
    factorChallenge: new KeyedTokenBucket(limits.mfaChallengeAndVerify / 60, BURST),
    factorVerify: new KeyedTokenBucket(limits.mfaChallengeAndVerify / 60, BURST),
    web3: per5m(limits.web3),
    email: new IntervalLimiter(limits.emailSent, 3_600_000),
  };
}
