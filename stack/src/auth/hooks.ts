// The Custom Access Token hook as GoTrue runs a `pg-functions://` hook: inside the token-issuing
// transaction, as supabase_auth_admin, with `statement_timeout` 2 s; the output's claims are
// checked against GoTrue's minimum schema before they are signed.
import { randomUUID } from 'node:crypto';
import { isConnectionFailure } from '../kit/db-errors.ts';
import { AuthError, internal } from './errors.ts';
import type { Query } from './db.ts';

const HOOK_TIMEOUT_MS = 2000;

export interface CustomAccessTokenInput {
  user_id: string;
  claims: Record<string, unknown>;
  authentication_method: string;
  ip_address?: string;
}

const REQUIRED = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

const TYPES: Record<string, (v: unknown) => boolean> = {
  aud: (v) => typeof v === 'string' || Array.isArray(v),
  exp: Number.isInteger,
  jti: (v) => typeof v === 'string',
  iat: Number.isInteger,
  iss: (v) => typeof v === 'string',
  nbf: Number.isInteger,
  sub: (v) => typeof v === 'string',
  email: (v) => typeof v === 'string',
  phone: (v) => typeof v === 'string',
  app_metadata: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  user_metadata: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  role: (v) => typeof v === 'string',
  aal: (v) => typeof v === 'string',
  amr: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' || (typeof x === 'object' && x !== null)),
  session_id: (v) => typeof v === 'string',
  client_id: (v) => typeof v === 'string',
};

/** GoTrue's MinimumViableTokenSchema check; the list of violations, empty when valid. */
export function claimViolations(claims: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of REQUIRED) if (!(key in claims)) out.push(`(root): ${key} is required`);
  for (const [key, ok] of Object.entries(TYPES)) {
    if (key in claims && claims[key] !== undefined && !ok(claims[key])) out.push(`${key}: Invalid type.`);
  }
  return out;
}

/**
 * Interprets the hook's output: `{claims}` (validated) or `{error: {http_code, message}}`,
 * which becomes the response, as GoTrue's hookserrors does.
 */
export function interpretHookOutput(output: unknown): Record<string, unknown> {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    throw internal('Error unmarshaling JSON output.');
  }
  const o = output as Record<string, unknown>;
  const err = o.error as { http_code?: unknown; message?: unknown } | undefined;
  if (err && typeof err === 'object' && typeof err.message === 'string' && err.message !== '') {
    const status = typeof err.http_code === 'number' && err.http_code > 0 ? err.http_code : 500;
    throw new AuthError(status, undefined, err.message);
  }
  if (!('claims' in o)) throw new AuthError(500, undefined, 'output claims field is missing');
  const claims = o.claims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new AuthError(500, undefined, 'output claims do not conform to the expected schema: \n- (root): Invalid type.\n');
  }
  const violations = claimViolations(claims as Record<string, unknown>);
  if (violations.length) {
    throw new AuthError(500, undefined, `output claims do not conform to the expected schema: \n${violations.map((v) => `- ${v}\n`).join('')}`);
  }
  return claims as Record<string, unknown>;
}

/** Calls `functionName` (already quoted `"schema"."fn"`) with the hook input in transaction `q`. */
export async function runCustomAccessTokenHook(
  q: Query,
  functionName: string,
  uri: string,
  input: CustomAccessTokenInput,
): Promise<Record<string, unknown>> {
  const payload = {
    metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: 'customize-access-token', ...(input.ip_address ? { ip_address: input.ip_address } : {}) },
    user_id: input.user_id,
    claims: input.claims,
    authentication_method: input.authentication_method,
  };
  let output: unknown;
  try {
    await q(`set local statement_timeout to '${HOOK_TIMEOUT_MS}'`);
    const rows = await q<{ out: unknown }>(`select ${functionName}($1::jsonb) as out`, [JSON.stringify(payload)]);
    await q('set local statement_timeout to default');
    output = rows[0]?.out;
  } catch (e) {
    if (isConnectionFailure(e)) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw internal(`Error running hook URI: ${uri}`).withInternal(detail);
  }
  return interpretHookOutput(output);
}
