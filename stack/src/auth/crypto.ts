// The secrets GoTrue makes: OTPs and their stored hashes, refresh tokens, bcrypt password hashes,
// PKCE checks. Same formats as supabase/auth internal/crypto, so rows are interchangeable.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** GoTrue's bcrypt cost (golang.org/x/crypto/bcrypt DefaultCost). */
export const BCRYPT_COST = 10;

/** A numeric one-time code of `digits` digits, zero-padded. */
export function generateOtp(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/** What GoTrue stores for an emailed code: hex sha224 of the address followed by the code. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash('sha224').update(emailOrPhone + otp).digest('hex');
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lower-case base32 of random bytes, `length` characters: GoTrue's refresh token format (12). */
export function secureAlphanumeric(length: number): string {
  const n = Math.max(length, 8);
  const bytes = randomBytes(Math.ceil((n * 5) / 8));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, n);
}

const PASSWORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A random password for users created without one (admin create, magic-link sign-up): long,
 * and containing one character of every required set so the password policy always accepts it.
 */
export function randomPassword(length = 64, requiredSets: string[] = []): string {
  let out = '';
  for (const set of requiredSets) if (set) out += set[randomInt(0, set.length)];
  while (out.length < length) out += PASSWORD_CHARS[randomInt(0, PASSWORD_CHARS.length)];
  return out;
}

/** bcrypt with GoTrue's cost and `$2a$` prefix (what Go's bcrypt writes). */
export async function hashPassword(password: string): Promise<string> {
  const salt = (await bcrypt.genSalt(BCRYPT_COST)).replace(/^\$2b\$/, '$2a$');
  return bcrypt.hash(password, salt);
}

/** Compares with any bcrypt hash (`$2a$`, `$2b$`, `$2y$`, pgcrypto's `crypt(pw, gen_salt('bf'))`). */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !/^\$2[abxy]\$\d\d\$/.test(hash)) return false;
  return bcrypt.compare(password, hash.replace(/^\$2[xy]\$/, '$2a$'));
}

/** Is `hash` something GoTrue accepts as a `password_hash` on admin user creation? */
export function isBcryptHash(hash: string): boolean {
  return /^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash);
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636 check of a code verifier against the stored challenge; an error message or undefined. */
export function pkceMismatch(challenge: string, method: string, verifier: string): string | undefined {
  switch (method.toLowerCase()) {
    case 's256': {
      const hashed = createHash('sha256').update(verifier).digest('base64url');
      return constantTimeEqual(challenge, hashed) ? undefined : 'code challenge does not match previously saved code verifier';
    }
    case 'plain':
      return constantTimeEqual(challenge, verifier) ? undefined : 'code challenge does not match previously saved code verifier';
    default:
      return 'code challenge method not supported';
  }
}
