// Who is calling: the gateway is the edge (Kong in the self-hosted stack), so the client address
// is the peer of the TCP connection. Only when that peer is a configured trusted proxy (a load
// balancer in front of the gateway) are its `X-Forwarded-*` headers believed, as Kong does with
// `trusted_ips` and GoTrue with GOTRUE_RATE_LIMIT_HEADER behind it. Anybody else can write any
// `X-Forwarded-For` they like, so it must not choose their rate-limit bucket.
//
// Trusted proxies: STACK_TRUSTED_PROXIES, a comma-separated list of addresses or CIDR blocks
// (`10.0.0.0/8, ::1`); none by default. `npm test` trusts loopback, standing in for a load
// balancer so that each test file can act as clients of its own.
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The trusted proxies of a list such as STACK_TRUSTED_PROXIES; throws on a malformed entry. */
export function parseTrustedProxies(list: string | undefined): BlockList {
  const blocks = new BlockList();
  for (const raw of (list ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [addr = '', bits] = entry.split('/');
    const family = isIP(addr);
    if (family === 0 || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`STACK_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR block`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(addr, type);
    else blocks.addSubnet(addr, Number(bits), type);
  }
  return blocks;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`. */
export function normalizeIp(addr: string): string {
  return addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

/**
 * Answers of `isTrusted` per list: BlockList.check builds a SocketAddress on every call (CPU
 * profile, issue 13), and the peers are few. Lists are built once (parseTrustedProxies), never changed.
 */
const trustAnswers = new WeakMap<BlockList, Map<string, boolean>>();
const TRUST_ANSWERS_MAX = 1024;

export function isTrusted(trusted: BlockList, addr: string): boolean {
  let answers = trustAnswers.get(trusted);
  const known = answers?.get(addr);
  if (known !== undefined) return known;
  const ip = normalizeIp(addr);
  const family = isIP(ip);
  const answer = family !== 0 && trusted.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  if (!answers) trustAnswers.set(trusted, (answers = new Map()));
  if (answers.size >= TRUST_ANSWERS_MAX) answers.clear();
  answers.set(addr, answer);
  return answer;
}

/** The X-Forwarded-For entries that are IP addresses, in order. */
function chain(xff: string | undefined): string[] {
  return (xff ?? '')
    .split(',')
    .map((p) => normalizeIp(p.trim()))
    .filter((p) => isIP(p) !== 0);
}

/**
 * The client's address. From an untrusted peer: the peer. From a trusted proxy: the nearest
 * X-Forwarded-For entry that is not itself a trusted proxy (right to left, as nginx's
 * real_ip_recursive does), so a client cannot pick its address by prepending entries.
 */
export function clientAddress(peer: string, xff: string | undefined, trusted: BlockList): string {
  const p = normalizeIp(peer);
  if (!isTrusted(trusted, p)) return p;
  const hops = chain(xff);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(trusted, hops[i]!)) return hops[i]!;
  return hops[0] ?? p;
}

/** The X-Forwarded-For to send upstream: the trusted chain plus the peer, else the peer alone. */
export function forwardedFor(peer: string, xff: string | undefined, trusted: BlockList): string {
  const p = normalizeIp(peer);
  if (!isTrusted(trusted, p)) return p;
  const hops = chain(xff);
  return [...hops, p].join(', ');
}

let processTrusted: BlockList | undefined;
/** The trusted proxies of this process (STACK_TRUSTED_PROXIES, read once). */
export function trustedProxies(): BlockList {
  processTrusted ??= parseTrustedProxies(process.env.STACK_TRUSTED_PROXIES);
  return processTrusted;
}

/** The peer address of the request's connection ('' outside a node server, as in app.request()). */
export function peerAddress(c: Context): string {
  try {
    return normalizeIp(getConnInfo(c).remote.address ?? '');
  } catch {
    return '';
  }
}

export interface Edge {
  /** The peer of the TCP connection. */
  peer: string;
  /** Whether that peer is a trusted proxy. */
  trusted: boolean;
  /** The client's address, as the rate limits and audit records key on it. */
  client: string;
  /** X-Forwarded-For as the gateway sends it on. */
  forwardedFor: string;
}

/** What the edge knows about the caller of `c`. */
export function edge(c: Context, trusted: BlockList = trustedProxies()): Edge {
  const peer = peerAddress(c);
  const xff = c.req.header('x-forwarded-for');
  return {
    peer,
    trusted: isTrusted(trusted, peer),
    client: clientAddress(peer, xff, trusted),
    forwardedFor: forwardedFor(peer, xff, trusted),
  };
}
