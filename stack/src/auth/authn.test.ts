import assert from 'node:assert/strict';
import { test } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { verifyJwt } from '../kit/jwt.ts';
import { loadJwtKeys } from '../kit/jwt-keys.ts';
import { jwtFailureReason } from './authn.ts';

const key = new TextEncoder().encode('x'.repeat(32));
const keys = await loadJwtKeys('x'.repeat(32), undefined);
const other = new TextEncoder().encode('y'.repeat(32));

async function reason(token: string): Promise<string> {
  const r = await verifyJwt(token, keys);
  assert.equal(r.ok, false);
  return jwtFailureReason(token, r as Extract<typeof r, { ok: false }>);
}

test('golang-jwt wording for each way a token fails', async () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await reason(await new SignJWT({ exp: now - 10 }).setProtectedHeader({ alg: 'HS256' }).sign(key)), 'token has invalid claims: token is expired');
  assert.equal(await reason(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(other)), 'token signature is invalid: signature is invalid');
  assert.equal(await reason(new UnsecuredJWT({}).encode()), 'token signature is invalid: signing method none is invalid');
  assert.equal(await reason(await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).sign(key)), 'token signature is invalid: signing method HS512 is invalid');
  assert.equal(await reason('a.b'), 'token is malformed: token contains an invalid number of segments');
  assert.equal(await reason('%%%.b.c'), 'token is malformed: could not JSON decode header');
});
