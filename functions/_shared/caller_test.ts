import assert from 'node:assert/strict';
import { signedInCaller } from './caller.ts';

function token(claims: Record<string, unknown>): string {
  const part = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

Deno.test('a signed-in user is read from the bearer token', () => {
  const t = token({ sub: 'u-1', role: 'authenticated' });
  assert.deepEqual(signedInCaller(`Bearer ${t}`), { userId: 'u-1', authorization: `Bearer ${t}` });
});

Deno.test('anon, service role, no token or garbage are not a signed-in user', () => {
  assert.equal(signedInCaller(null), null);
  assert.equal(signedInCaller('Bearer nope'), null);
  assert.equal(signedInCaller(`Bearer ${token({ role: 'anon' })}`), null);
  assert.equal(signedInCaller(`Bearer ${token({ role: 'service_role' })}`), null);
  assert.equal(signedInCaller(`Bearer ${token({ role: 'authenticated', sub: '' })}`), null);
  assert.equal(signedInCaller(`Basic ${token({ role: 'authenticated', sub: 'x' })}`), null);
});
