// The project's JWT keys, as the Supabase CLI hands them to GoTrue and the other services: the
// legacy HS256 secret always, and with `[auth] signing_keys_path` a JWK set of private RS256/ES256
// keys (`supabase gen signing-key` writes them). Access tokens are signed with the signing key
// (`kid` in the header); tokens signed with any configured key, or with the secret, are accepted.
// Everything is imported once here, at start, never per request.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { ProjectConfig } from '../config.ts';
import { StackError } from '../errors.ts';

export type AsymmetricAlg = 'RS256' | 'ES256';

export interface AsymmetricKey {
  kid: string;
  alg: AsymmetricAlg;
  /** The public key, imported for `verify`. */
  publicKey: CryptoKey;
}

export interface SigningKey {
  kid: string;
  alg: AsymmetricAlg;
  privateKey: CryptoKey;
}

export interface JwtKeys {
  /** The legacy HS256 secret as bytes (storage's signed URLs are still HS256 with it). */
  secret: Uint8Array;
  /** The same secret imported once as an HMAC key: importing it per request cost a sixth of a JWT check. */
  hmac: CryptoKey;
  /** The asymmetric keys of `signing_keys_path` by `kid`; empty without it. */
  asymmetric: ReadonlyMap<string, AsymmetricKey>;
  /** The key access tokens are signed with; undefined: HS256 with the secret. */
  signing: SigningKey | undefined;
  /** What `/auth/v1/.well-known/jwks.json` publishes: the public parts, as GoTrue writes them. */
  publicJwks: Record<string, unknown>[];
  /** The `alg`s a token may carry: HS256 and those of the configured keys (GoTrue's valid methods). */
  algorithms: string[];
}

const b64 = z.string().min(1);
/** One private JWK of the file; other members (`ext`, `use`, …) pass through, as GoTrue keeps them. */
const privateJwk = z.discriminatedUnion('kty', [
  z.looseObject({ kty: z.literal('RSA'), alg: z.literal('RS256', 'RSA keys sign RS256'), n: b64, e: b64, d: b64, p: b64, q: b64, dp: b64, dq: b64, qi: b64 }),
  z.looseObject({ kty: z.literal('EC'), alg: z.literal('ES256', 'EC keys sign ES256'), crv: z.literal('P-256', 'ES256 needs the P-256 curve'), x: b64, y: b64, d: b64 }),
]);
const keyCommon = z.looseObject({ kid: z.string().min(1), key_ops: z.array(z.string()).optional() });
const keyFile = z.array(z.unknown()).min(1, 'the key set is empty');

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
const MEMBER_HINTS: Record<string, string> = {
  kty: ' (expected "RSA" or "EC")',
  kid: ' (every key needs one: tokens name their key by it)',
  d: ' (a private key is needed, not a public one)',
};

type PrivateJwk = z.infer<typeof privateJwk> & z.infer<typeof keyCommon>;

const FIX = 'give [auth] signing_keys_path a JSON array of private RS256 or ES256 JWKs, one with "key_ops": ["sign", "verify"], as `supabase gen signing-key` writes them';

function keyError(path: string, reason: string): StackError {
  return new StackError(`cannot load the JWT signing keys in ${path}: ${reason}`, FIX);
}

/**
 * The keys of a signing keys file, validated: an array of private RS256/ES256 JWKs with distinct
 * `kid`s, one of them for signing (`key_ops` with "sign", GoTrue's rule; the first such one signs).
 * Errors name the file and the key.
 */
export function readSigningKeys(path: string): PrivateJwk[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw keyError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw keyError(path, `not JSON (${(e as Error).message})`);
  }
  const list = keyFile.safeParse(raw);
  if (!list.success) throw keyError(path, Array.isArray(raw) ? (list.error.issues[0]?.message ?? 'invalid') : 'expected a JSON array of JWKs');
  const keys: PrivateJwk[] = [];
  const kids = new Set<string>();
  list.data.forEach((item, i) => {
    const common = keyCommon.safeParse(item);
    const material = privateJwk.safeParse(item);
    const failure = !common.success ? common.error.issues[0] : !material.success ? material.error.issues[0] : undefined;
    if (failure || !common.success || !material.success) {
      const member = String(failure?.path[0] ?? '');
      const why = failure?.code === 'invalid_type' && member ? 'missing or not a string' : (failure?.message ?? 'invalid');
      throw keyError(path, `key ${i + 1}${member ? ` "${member}"` : ''}: ${why}${MEMBER_HINTS[member] ?? ''}`);
    }
    if (kids.has(common.data.kid)) throw keyError(path, `key ${i + 1}: kid "${common.data.kid}" is used twice`);
    kids.add(common.data.kid);
    keys.push({ ...common.data, ...material.data } as PrivateJwk);
  });
  if (!keys.some((k) => k.key_ops?.includes('sign'))) throw keyError(path, 'no key has "sign" in its "key_ops", so none can sign tokens');
  return keys;
}

/** The JWK members of the key material only: WebCrypto refuses a private key whose key_ops say verify. */
function material(jwk: PrivateJwk, withPrivate: boolean): Record<string, unknown> {
  const members = jwk.kty === 'RSA' ? ['kty', 'n', 'e'] : ['kty', 'crv', 'x', 'y'];
  const privates = jwk.kty === 'RSA' ? ['d', 'p', 'q', 'dp', 'dq', 'qi'] : ['d'];
  return Object.fromEntries([...members, ...(withPrivate ? privates : [])].map((m) => [m, (jwk as Record<string, unknown>)[m]]));
}

/**
 * The public JWK GoTrue publishes for a private one (conf.JwtKeysDecoder, jwx's PublicKeyOf): every
 * member but the private ones, `use` "sig", `key_ops` ["verify"], members in sorted order as jwx
 * writes them.
 */
export function publicJwkOf(jwk: Record<string, unknown>): Record<string, unknown> {
  const pub: Record<string, unknown> = { ...jwk, use: 'sig', key_ops: ['verify'] };
  for (const m of PRIVATE_MEMBERS) delete pub[m];
  return Object.fromEntries(Object.keys(pub).sort().map((k) => [k, pub[k]]));
}

/** The signing keys path config.toml (resolved against supabase/) or AUTH_SIGNING_KEYS_PATH gives; '' turns it off. */
export function signingKeysPath(config: ProjectConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.AUTH_SIGNING_KEYS_PATH;
  const path = override !== undefined ? (override === '' ? undefined : resolve(override)) : config.auth.signing_keys_path;
  return path || undefined;
}

export async function loadJwtKeys(secret: string, path: string | undefined): Promise<JwtKeys> {
  const secretBytes = new TextEncoder().encode(secret);
  const hmac = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const asymmetric = new Map<string, AsymmetricKey>();
  const publicJwks: Record<string, unknown>[] = [];
  let signing: SigningKey | undefined;
  for (const [i, jwk] of (path ? readSigningKeys(path) : []).entries()) {
    let publicKey: CryptoKey;
    try {
      publicKey = (await importJWK(material(jwk, false), jwk.alg)) as CryptoKey;
      if (!signing && jwk.key_ops?.includes('sign')) {
        signing = { kid: jwk.kid, alg: jwk.alg, privateKey: (await importJWK(material(jwk, true), jwk.alg)) as CryptoKey };
      }
    } catch (e) {
      throw keyError(path!, `key ${i + 1} (kid "${jwk.kid}"): not a usable ${jwk.alg} key (${(e as Error).message})`);
    }
    // A private part that does not belong to the public one would sign tokens nobody can verify.
    if (signing?.kid === jwk.kid && !(await signsForPublicKey(signing, publicKey))) {
      throw keyError(path!, `key ${i + 1} (kid "${jwk.kid}"): its private part does not match its public part`);
    }
    asymmetric.set(jwk.kid, { kid: jwk.kid, alg: jwk.alg, publicKey });
    publicJwks.push(publicJwkOf(jwk));
  }
  const algorithms = ['HS256', ...new Set([...asymmetric.values()].map((k) => k.alg))];
  return { secret: secretBytes, hmac, asymmetric, signing, publicJwks, algorithms };
}

async function signsForPublicKey(signing: SigningKey, publicKey: CryptoKey): Promise<boolean> {
  try {
    await jwtVerify(await new SignJWT({}).setProtectedHeader({ alg: signing.alg }).sign(signing.privateKey), publicKey);
    return true;
  } catch {
    return false;
  }
}

/** The project's keys from its config and the environment: what every process of an instance uses. */
export function projectJwtKeys(secret: string, config: ProjectConfig, env: NodeJS.ProcessEnv = process.env): Promise<JwtKeys> {
  return loadJwtKeys(secret, signingKeysPath(config, env));
}

/**
 * Signs claims as GoTrue's SignJWT does: with the signing key and its `kid` when there is one,
 * else HS256 with the secret; the header's members sorted, as Go writes a map.
 */
export function signJwt(claims: JWTPayload, keys: JwtKeys): Promise<string> {
  const jwt = new SignJWT(claims);
  if (!keys.signing) return jwt.setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(keys.hmac);
  return jwt.setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: 'JWT' }).sign(keys.signing.privateKey);
}

/** A private JWK with the members the CLI writes, then the key material (`n`, `e`, `d`, … or `crv`, `x`, `y`, `d`). */
export interface GeneratedKey {
  kty: string;
  kid: string;
  use: string;
  key_ops: string[];
  alg: AsymmetricAlg;
  ext: boolean;
  [member: string]: unknown;
}

/**
 * A new private JWK as `supabase gen signing-key --algorithm <alg>` writes it (kid a UUID, `use`
 * "sig", `key_ops` ["sign", "verify"], `ext` true): for tests and local projects, never committed.
 */
export function generateSigningKey(alg: AsymmetricAlg): GeneratedKey {
  const { privateKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, ...material } = privateKey.export({ format: 'jwk' });
  return { kty: kty!, kid: randomUUID(), use: 'sig', key_ops: ['sign', 'verify'], alg, ext: true, ...material };
}
