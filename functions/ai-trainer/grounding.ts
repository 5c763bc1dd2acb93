// Grounding in the organisation's own training material (uploaded with the training-material
// function: text extracted, chunked, indexed for full-text search in Postgres). The snippets that
// match the learner's last line flow into the customer's prompt and the report's citations.
// Searched through the caller's client, so RLS limits it to material of organisations the learner
// belongs to; a session filed under no organisation has no material.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Citation } from './rubric.ts';

export interface GroundingQuery {
  organizationId: string | null;
  category: string;
  /** What to look for: the learner's last line. */
  text: string;
  limit?: number;
}

const matchSchema = z.array(z.object({ title: z.string(), chunk_position: z.number().int(), snippet: z.string() }));

export async function retrieveSnippets(client: SupabaseClient, query: GroundingQuery): Promise<Citation[]> {
  if (!query.organizationId || query.text.trim() === '') return [];
  const { data, error } = await client.rpc('search_training_material', {
    p_organization: query.organizationId,
    p_query: query.text,
    p_category: query.category,
    p_limit: query.limit ?? 3,
  });
  if (error) throw new Error(`Cannot search the training material: ${error.message}`);
  return matchSchema.parse(data).map((m) => ({
    source: `${m.title}, passage ${m.chunk_position}`.slice(0, 300),
    snippet: m.snippet.slice(0, 1000),
  }));
}
