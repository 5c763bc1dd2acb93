import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { retrieveSnippets } from './grounding.ts';

Deno.test('grounding is a seam for now: no snippets, no request', async () => {
  const client = createClient('http://127.0.0.1:9', 'k', { auth: { persistSession: false } });
  assert.deepEqual(
    await retrieveSnippets(client, { organizationId: null, category: 'retail-sales', text: 'price' }),
    [],
  );
});
