// Access tokens as GoTrue mints them (HS256 over JWT_SECRET), so suites act as users without /auth/v1.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { env } from './env.ts';

export interface TokenClaims {
  sub?: string;
  email?: string;
  role?: string;
  session_id?: string;
  /** Seconds from now to `exp`; negative for a token that has already expired. 3600 by default. */
  expiresIn?: number;
  /** The signing secret; another one makes a forged token. JWT_SECRET by default. */
  secret?: string;
  [claim: string]: unknown;
}

/** An access token with GoTrue's claim set; the claims given win (`undefined` leaves one out). */
export async function accessToken(claims: TokenClaims = {}): Promise<string> {
  const { expiresIn = 3600, secret = env.JWT_SECRET, ...overrides } = claims;
  const now = Math.floor(Date.now() / 1000);
  const sub = overrides.sub ?? randomUUID();
  return new SignJWT({
    iss: `${env.SUPABASE_URL}/auth/v1`,
    sub,
    aud: 'authenticated',
    exp: now + expiresIn,
    iat: now,
    email: `${sub}@example.test`,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: now }],
    session_id: randomUUID(),
    is_anonymous: false,
    ...overrides,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
