import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { retrieveSnippets } from './grounding.ts';

// An unreachable client: any request would fail the test.
const client = createClient('http://127.0.0.1:9', 'k', { auth: { persistSession: false } });

Deno.test('a session under no organisation has no material: no snippets, no request', async () => {
  assert.deepEqual(await retrieveSnippets(client, { organizationId: null, category: 'retail-sales', text: 'price' }), []);
});

Deno.test('an empty line searches nothing', async () => {
  assert.deepEqual(
    await retrieveSnippets(client, { organizationId: crypto.randomUUID(), category: 'retail-sales', text: '  ' }),
    [],
  );
});

Deno.test('a failed search is an error naming what failed', async () => {
  await assert.rejects(
    retrieveSnippets(client, { organizationId: crypto.randomUUID(), category: 'retail-sales', text: 'price' }),
    /Cannot search the training material/,
  );
});
