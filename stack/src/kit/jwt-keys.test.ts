// The project's JWT keys without a server: loading a signing keys file (and refusing a bad one by
// name), what the JWKS publishes, what signs, and what verifies, attacks included.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { readConfig } from '../config.ts';
import { StackError } from '../errors.ts';
import { apiKeys } from './api-keys.ts';
import { verifyJwt } from './jwt.ts';
import { generateSigningKey, loadJwtKeys, readSigningKeys, signingKeysPath, signJwt } from './jwt-keys.ts';

const SECRET = 'a-test-secret-a-test-secret-a-test-secret';
const dir = mkdtempSync(join(tmpdir(), 'jwt-keys-'));
let files = 0;
function keyFile(content: unknown): string {
  const path = join(dir, `keys-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const es = generateSigningKey('ES256');
const rs = generateSigningKey('RS256');
/** auth-js's own test key: Node's JWK export plus kid, key_ops and alg; no `use`, no `ext`. */
const { use: _use, ext: _ext, ...rsAuthJs } = generateSigningKey('RS256');
const now = () => Math.floor(Date.now() / 1000);

async function signWith(jwk: Record<string, unknown>, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, alg, use: _u, key_ops: _k, ext: _e, ...material } = jwk;
  const key = await importJWK(material as JWK, alg as string);
  return new SignJWT({ role: 'authenticated', exp: now() + 60, ...claims })
    .setProtectedHeader({ alg: alg as string, kid: kid as string, typ: 'JWT', ...header })
    .sign(key);
}
const hs256 = (claims: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = {}) =>
  new SignJWT({ role: 'authenticated', exp: now() + 60, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(new TextEncoder().encode(secret));

describe('a signing keys file is refused with an error naming it', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '[{', /not JSON/],
    ['an object, not a key set', { keys: [es] }, /expected a JSON array of JWKs/],
    ['an empty set', [], /the key set is empty/],
    ['a symmetric key', [{ kty: 'oct', k: 'c2VjcmV0', kid: 'x', key_ops: ['sign'] }], /key 1 "kty".*expected "RSA" or "EC"/],
    ['an RSA key claiming ES256', [{ ...rs, alg: 'ES256' }], /key 1 "alg": RSA keys sign RS256/],
    ['an EC key on another curve', [{ ...es, crv: 'P-384' }], /key 1 "crv": ES256 needs the P-256 curve/],
    ['a public key only', [{ ...es, d: undefined }], /key 1 "d": missing or not a string \(a private key is needed/],
    ['a key without kid', [{ ...es, kid: undefined }], /key 1 "kid": missing or not a string \(every key needs one/],
    ['a kid used twice', [es, { ...rs, kid: es.kid }], /key 2: kid ".*" is used twice/],
    ['no key that may sign', [{ ...es, key_ops: ['verify'] }], /no key has "sign" in its "key_ops"/],
  ];
  for (const [what, content, message] of cases) {
    test(what, () => {
      const path = keyFile(content);
      assert.throws(() => readSigningKeys(path), (e: unknown) => {
        assert.ok(e instanceof StackError);
        assert.match(e.message, new RegExp(`^cannot load the JWT signing keys in ${path.replace(/[.]/g, '\\.')}: `));
        assert.match(e.message, message);
        assert.match(e.fix, /supabase gen signing-key/);
        return true;
      });
    });
  }

  test('a missing file', () => {
    const path = join(dir, 'absent.json');
    assert.throws(() => readSigningKeys(path), { message: `cannot load the JWT signing keys in ${path}: no such file` });
  });

  test('key material that does not import', async () => {
    const path = keyFile([{ ...es, x: 'AAAA' }]);
    await assert.rejects(loadJwtKeys(SECRET, path), (e: unknown) => {
      assert.ok(e instanceof StackError);
      assert.match(e.message, new RegExp(`in ${path.replace(/[.]/g, '\\.')}: key 1 \\(kid "${es.kid}"\\): not a usable ES256 key`));
      return true;
    });
  });
});

test('a private part that is not the public one’s', async () => {
  // (WebCrypto already refuses an EC key whose d is not its x, y'; an RSA key's modulus it takes.)
  const path = keyFile([{ ...rs, n: generateSigningKey('RS256').n }]);
  await assert.rejects(loadJwtKeys(SECRET, path), { message: `cannot load the JWT signing keys in ${path}: key 1 (kid "${rs.kid}"): its private part does not match its public part` });
});

describe('with signing keys', async () => {
  // The first key signs; the second (say, the previous key during a rotation) still verifies.
  const keys = await loadJwtKeys(SECRET, keyFile([es, rsAuthJs]));

  test('the JWKS holds the public parts only, as GoTrue publishes them', () => {
    assert.equal(keys.publicJwks.length, 2);
    const [pubEs, pubRs] = keys.publicJwks as Record<string, unknown>[];
    assert.deepEqual(pubEs, { alg: 'ES256', crv: 'P-256', ext: true, key_ops: ['verify'], kid: es.kid, kty: 'EC', use: 'sig', x: es.x, y: es.y });
    assert.deepEqual(Object.keys(pubRs!), ['alg', 'e', 'key_ops', 'kid', 'kty', 'n', 'use']);
    assert.equal(pubRs!.use, 'sig', 'use is set even when the private key had none');
    for (const pub of keys.publicJwks) for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.ok(!(m in pub), m);
    assert.deepEqual(keys.algorithms, ['HS256', 'ES256', 'RS256']);
  });

  test('access tokens are signed with the first signing key, its kid in the header, and verify against the JWKS', async () => {
    const token = await signJwt({ sub: 'u', role: 'authenticated', exp: now() + 60 }, keys);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: es.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: keys.publicJwks as JWK[] }));
    assert.equal(payload.sub, 'u');
  });

  test('the legacy API keys are signed with it too, for ten years, as the CLI does', async () => {
    const { anonKey, serviceRoleKey } = await apiKeys(keys);
    assert.deepEqual(decodeProtectedHeader(anonKey), { alg: 'ES256', kid: es.kid, typ: 'JWT' });
    const anon = await verifyJwt(anonKey, keys);
    assert.ok(anon.ok);
    assert.equal(anon.claims.role, 'anon');
    assert.ok(Math.abs(anon.claims.exp! - (now() + 10 * 365 * 24 * 3600)) < 60);
    const service = await verifyJwt(serviceRoleKey, keys);
    assert.equal(service.ok && service.claims.role, 'service_role');
  });

  test('tokens of any configured key and of the HS256 secret are accepted', async () => {
    for (const token of [await signWith(es, { sub: 'a' }), await signWith(rsAuthJs, { sub: 'b' }), await hs256({ sub: 'c' })]) {
      const r = await verifyJwt(token, keys);
      assert.ok(r.ok, JSON.stringify(r));
    }
  });

  describe('attacks are refused', () => {
    const refused = async (token: string, message: RegExp) => {
      const r = await verifyJwt(token, keys);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, message);
    };
    const rsPublic = createPublicKey({ key: rsAuthJs as JWK & { kty: string }, format: 'jwk' });

    test('alg confusion: HS256 "signed" with the public key, naming its kid or not', async () => {
      for (const bytes of [rsPublic.export({ type: 'spki', format: 'pem' }).toString(), JSON.stringify(keys.publicJwks[1])]) {
        await refused(await hs256({}, bytes, { kid: rsAuthJs.kid }), /key is of invalid type/);
        await refused(await hs256({}, bytes), /signature verification failed/);
      }
    });

    test('alg: none', async () => {
      await refused(new UnsecuredJWT({ role: 'service_role' }).encode(), /"alg" \(Algorithm\) Header Parameter value not allowed/);
      const withKid = `${Buffer.from(JSON.stringify({ alg: 'none', kid: es.kid })).toString('base64url')}.${Buffer.from('{"role":"service_role"}').toString('base64url')}.`;
      await refused(withKid, /not allowed/);
    });

    test('an unknown kid, and an asymmetric token without one', async () => {
      const stranger = generateSigningKey('ES256');
      await refused(await signWith(stranger, {}), new RegExp(`unrecognized JWT kid ${stranger.kid} for algorithm ES256`));
      await refused(await hs256({}, SECRET, { kid: 'legacy' }), /unrecognized JWT kid legacy for algorithm HS256/);
      await refused(await signWith({ ...es, kid: undefined }, {}), /unrecognized JWT kid <nil> for algorithm ES256/);
    });

    test('a known kid on a token another key signed, or with another alg', async () => {
      await refused(await signWith({ ...generateSigningKey('ES256'), kid: es.kid }, {}), /signature verification failed/);
      await refused(await signWith({ ...generateSigningKey('ES256'), kid: rsAuthJs.kid }, {}), /key is of invalid type/);
    });

    test('"no key fits" is told apart from a bad signature (PostgREST words them differently)', async () => {
      const noKey = async (token: string) => {
        const r = await verifyJwt(token, keys);
        return r.ok ? undefined : (r.noKey ?? false);
      };
      assert.equal(await noKey(await signWith(generateSigningKey('ES256'), {})), true, 'unknown kid');
      assert.equal(await noKey(await signWith({ ...generateSigningKey('ES256'), kid: rsAuthJs.kid }, {})), true, 'alg not the key’s');
      assert.equal(await noKey(await signWith({ ...generateSigningKey('ES256'), kid: es.kid }, {})), false, 'bad signature');
      assert.equal(await noKey(await hs256({}, 'another-secret-another-secret-another-secret')), false, 'bad HS256 signature');
    });

    test('an expired token', async () => {
      const r = await verifyJwt(await signWith(es, { exp: now() - 5 }), keys);
      assert.deepEqual(r, { ok: false, reason: 'expired', message: 'JWT expired' });
    });
  });
});

describe('without signing keys', async () => {
  const keys = await loadJwtKeys(SECRET, undefined);

  test('HS256 with the secret, and nothing to publish', async () => {
    assert.deepEqual(keys.publicJwks, []);
    assert.deepEqual(keys.algorithms, ['HS256']);
    const token = await signJwt({ role: 'authenticated' }, keys);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
    assert.ok((await verifyJwt(token, keys)).ok);
  });

  test('an RS256 token is refused even with a kid', async () => {
    const r = await verifyJwt(await signWith(rs, {}), keys);
    assert.equal(r.ok, false);
  });
});

describe('where the keys file is', () => {
  test('signing_keys_path is relative to the folder of config.toml, as the CLI resolves it', () => {
    const project = mkdtempSync(join(tmpdir(), 'jwt-keys-project-'));
    mkdirSync(join(project, 'supabase'));
    const config = join(project, 'supabase', 'config.toml');
    writeFileSync(config, '[api]\nport = 1\n[db]\nport = 2\n[auth]\nsigning_keys_path = "./signing_keys.json"\n');
    const cfg = readConfig(config);
    assert.equal(cfg.auth.signing_keys_path, join(project, 'supabase', 'signing_keys.json'));
    assert.equal(signingKeysPath(cfg, {}), join(project, 'supabase', 'signing_keys.json'));
    assert.equal(signingKeysPath(cfg, { AUTH_SIGNING_KEYS_PATH: '/elsewhere/keys.json' }), '/elsewhere/keys.json');
    assert.equal(signingKeysPath(cfg, { AUTH_SIGNING_KEYS_PATH: '' }), undefined, 'an empty override turns the keys off');
  });

  test("this project signs HS256: no key file in git", () => {
    assert.equal(readConfig().auth.signing_keys_path, undefined);
  });
});
