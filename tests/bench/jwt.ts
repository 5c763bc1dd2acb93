// What checking a bearer token costs per request, in the gateway's process (no server involved):
// the HS256 path before signing keys (jose with the HMAC key imported once) as the baseline, beside
// kit/jwt.ts's keyset lookup for HS256, ES256 and RS256 tokens. Run: npm run bench -- jwt
import { jwtVerify, SignJWT } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyJwt } from '../../stack/src/kit/jwt.ts';
import { generateSigningKey, loadJwtKeys, signJwt } from '../../stack/src/kit/jwt-keys.ts';
import { measure, type Result } from './measure.ts';

const SECRET = 'a-bench-secret-a-bench-secret-a-bench-secret';
const TOTAL = Number(process.env.BENCH_TOTAL ?? 20_000);
const claims = { sub: '6f1c0f5e-8a0e-4b8e-9d59-5d3b2f0c7a11', role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 };

const dir = mkdtempSync(join(tmpdir(), 'bench-jwt-'));
const keyFile = (alg: 'ES256' | 'RS256') => {
  const path = join(dir, `${alg}.json`);
  writeFileSync(path, JSON.stringify([generateSigningKey(alg)]));
  return path;
};

const hsOnly = await loadJwtKeys(SECRET, undefined);
const es = await loadJwtKeys(SECRET, keyFile('ES256'));
const rs = await loadJwtKeys(SECRET, keyFile('RS256'));
const hsToken = await signJwt(claims, hsOnly);
const esToken = await signJwt(claims, es);
const rsToken = await signJwt(claims, rs);
// The check as it was: one HMAC key, HS256 only.
const hmac = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
if (hsToken !== (await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(SECRET)))) {
  throw new Error('the keyset signs HS256 differently from the secret');
}

const ok = (r: { ok: boolean }) => {
  if (!r.ok) throw new Error('a valid token was refused');
};
const cases: [string, () => Promise<void>][] = [
  ['baseline: jose HS256, one key', async () => void (await jwtVerify(hsToken, hmac, { algorithms: ['HS256'] }))],
  ['HS256 token, no signing keys', async () => ok(await verifyJwt(hsToken, hsOnly))],
  ['HS256 token, ES256 keys set', async () => ok(await verifyJwt(hsToken, es))],
  ['ES256 token', async () => ok(await verifyJwt(esToken, es))],
  ['RS256 token', async () => ok(await verifyJwt(rsToken, rs))],
];

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const rows: [string, Result][] = [];
for (const [name, op] of cases) {
  await measure(op, Math.min(2000, TOTAL), 1); // warm-up
  rows.push([name, await measure(op, TOTAL, 1)]);
}
console.log(`verifying one token, ${TOTAL} times each, one at a time`);
console.log(`${'case'.padEnd(32)} ${'per second'.padStart(11)} ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'p99'.padStart(10)}`);
for (const [name, r] of rows) {
  console.log(`${name.padEnd(32)} ${r.rps.toFixed(0).padStart(11)} ${us(r.p50).padStart(10)} ${us(r.p95).padStart(10)} ${us(r.p99).padStart(10)}`);
}
