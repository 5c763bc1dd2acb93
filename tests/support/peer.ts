// Requests from another loopback address. `npm test` trusts 127.0.0.1 and ::1 as proxies
// (STACK_TRUSTED_PROXIES), standing in for a load balancer; a request from 127.x.y.z is a client
// that reached the gateway directly, whose own X-Forwarded-* must not be believed.
import { randomInt } from 'node:crypto';
import { request } from 'node:http';
import { env } from './env.ts';

/** A loopback address other than 127.0.0.1, fresh per call so no earlier bucket applies. */
export function untrustedLoopback(): string {
  return `127.${randomInt(2, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface PeerResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

/** One request to the stack under test sent from `localAddress`. */
export function requestFrom(
  localAddress: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PeerResponse> {
  const url = new URL(path, env.SUPABASE_URL);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? 'GET',
        localAddress,
        headers: { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
