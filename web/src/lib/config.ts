// Where the app finds Supabase. With nothing set it uses the local stack's well-known defaults
// (the same as `supabase start`), so `npm start` needs no configuration.
import { z } from 'zod';

export const LOCAL_DEFAULTS = {
  url: 'http://127.0.0.1:54321',
  anonKey:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0',
} as const;

const publicConfig = z.object({
  url: z.url({ protocol: /^https?$/ }),
  anonKey: z.string().min(20),
});

export type PublicConfig = z.infer<typeof publicConfig>;

/** Reads PUBLIC_SUPABASE_URL / PUBLIC_SUPABASE_ANON_KEY; a bad value is an error, not a fallback. */
export function readPublicConfig(env: Record<string, string | undefined>): PublicConfig {
  const parsed = publicConfig.safeParse({
    url: env.PUBLIC_SUPABASE_URL || LOCAL_DEFAULTS.url,
    anonKey: env.PUBLIC_SUPABASE_ANON_KEY || LOCAL_DEFAULTS.anonKey,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid Supabase configuration (${issue?.path.join('.')}): ${issue?.message}`);
  }
  return parsed.data;
}
