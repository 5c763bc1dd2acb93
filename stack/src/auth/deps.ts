// What every auth route group works with, built once in index.ts.
import type { AuthSettings } from './config.ts';
import type { Db } from './db.ts';
import type { Mailer } from './mailer.ts';
import type { Limiters } from './ratelimit.ts';

export interface AuthDeps {
  settings: AuthSettings;
  db: Db;
  /** The HS256 secret. */
  jwtKey: Uint8Array;
  mailer: Mailer;
  limiters: Limiters;
  log(record: Record<string, unknown>): void;
}
