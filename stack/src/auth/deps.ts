// What every auth route group works with, built once in index.ts.
import type { JwtKeys } from '../kit/jwt-keys.ts';
import type { AuthSettings } from './config.ts';
import type { Db } from './db.ts';
import type { Mailer } from './mailer.ts';
import type { Limiters } from './ratelimit.ts';

export interface AuthDeps {
  settings: AuthSettings;
  db: Db;
  /** The JWT secret and signing keys: access tokens are signed with them, /.well-known/jwks.json publishes them. */
  jwtKeys: JwtKeys;
  mailer: Mailer;
  limiters: Limiters;
  log(record: Record<string, unknown>): void;
}
