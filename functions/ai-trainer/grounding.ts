// Grounding in the organisation's own training material (issue 10, item 2: uploads → text →
// chunks indexed for full-text search). That pipeline is not built yet, so this seam returns no
// snippets and the customer plays from its persona and the scenario brief alone. When the
// chunks exist, this function queries them (through the caller's client, so RLS limits it to the
// organisation's material) and the snippets flow into the customer's prompt and the report's
// citations unchanged.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Citation } from './rubric.ts';

export interface GroundingQuery {
  organizationId: string | null;
  category: string;
  /** What to look for: the learner's last line. */
  text: string;
  limit?: number;
}

export function retrieveSnippets(_client: SupabaseClient, _query: GroundingQuery): Promise<Citation[]> {
  return Promise.resolve([]);
}
