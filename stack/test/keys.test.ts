import assert from 'node:assert/strict';
import { test } from 'vitest';
import { jwtVerify } from 'jose';
import { DEFAULT_JWT_SECRET } from '../src/config.ts';
import { apiKeys } from '../src/kit/api-keys.ts';
import { loadJwtKeys } from '../src/kit/jwt-keys.ts';

// The keys `supabase start` prints for the default secret, as published in Supabase's docs.
const WELL_KNOWN_ANON =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const WELL_KNOWN_SERVICE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

test('the default secret yields the well-known local keys', async () => {
  assert.deepEqual(await apiKeys(await loadJwtKeys(DEFAULT_JWT_SECRET, undefined)), {
    anonKey: WELL_KNOWN_ANON,
    serviceRoleKey: WELL_KNOWN_SERVICE,
    publishableKey: 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH',
    secretKey: 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz',
  });
});

test('a custom secret signs keys that verify with it and carry the role', async () => {
  const secret = 'another-secret-that-is-long-enough-for-hs256!';
  const { anonKey, serviceRoleKey } = await apiKeys(await loadJwtKeys(secret, undefined));
  const key = new TextEncoder().encode(secret);
  assert.equal((await jwtVerify(anonKey, key)).payload.role, 'anon');
  assert.equal((await jwtVerify(serviceRoleKey, key)).payload.role, 'service_role');
  await assert.rejects(jwtVerify(anonKey, new TextEncoder().encode(DEFAULT_JWT_SECRET)));
});
