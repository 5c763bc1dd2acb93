// A service of the gateway (auth, rest, functions, storage, realtime): a Hono sub-app mounted
// under its prefix, a health probe, and optionally websocket upgrades and a shutdown hook.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hono } from 'hono';
import type { JwtResult } from './jwt.ts';

/** Per-request values the gateway sets before a service sees the request. */
export interface GatewayEnv {
  Variables: {
    requestId: string;
    /** The verified bearer token, or why it failed; undefined when there was none. */
    jwt: JwtResult | undefined;
    /** The user a service acted for, for the request log. */
    userId: string | undefined;
  };
}

export interface Service {
  /** Path prefix, e.g. `/rest/v1`. */
  prefix: string;
  name: string;
  app: Hono<GatewayEnv>;
  /** `true` when healthy, else a short reason. */
  health(): Promise<true | string>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close?(): Promise<void>;
}
