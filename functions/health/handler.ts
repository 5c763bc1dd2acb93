// `health`: proves the functions path end to end. GET answers `{status, time, caller}`, where
// caller is the role in the bearer token (decoded only to report it: the gateway verified it).
import { decodeJwt } from 'jose';
import { corsHeaders, json } from '../_shared/cors.ts';

/** The `role` claim of a bearer token, or 'anon' when there is none or it cannot be read. */
export function callerRole(authorization: string | null): string {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return 'anon';
  try {
    const { role } = decodeJwt(token);
    return typeof role === 'string' && role !== '' ? role : 'anon';
  } catch {
    return 'anon';
  }
}

export function handler(req: Request): Response {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  if (req.method !== 'GET') {
    return json({ error: `Cannot ${req.method} health: it only answers GET` }, 405, { Allow: 'GET, OPTIONS' });
  }
  return json({ status: 'ok', time: new Date().toISOString(), caller: callerRole(req.headers.get('authorization')) });
}
