// The gateway's HTTP server settings, as Supabase's edge (Kong, i.e. nginx) has them.
import type { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open: Kong's `nginx_http_keepalive_timeout` (60 s).
 * Node's default (5 s, the close landing at ~6 s) is shorter than clients keep idle connections
 * (browsers for minutes; undici by this server's `Keep-Alive: timeout=` hint, where it reads one),
 * so a client reusing a connection after a few idle seconds met a socket we had just closed.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 60_000;

export function applyEdgeTimeouts(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // headersTimeout stays Node's 60 s, nginx's client_header_timeout.
}
