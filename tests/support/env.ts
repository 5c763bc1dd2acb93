// What `npm test` hands every test: the running test instance's URLs and keys.
import { z } from 'zod';

const schema = z.object({
  SUPABASE_URL: z.url(),
  DB_URL: z.string().startsWith('postgresql://'),
  ANON_KEY: z.string().min(20),
  SERVICE_ROLE_KEY: z.string().min(20),
  JWT_SECRET: z.string().min(32),
  PUBLISHABLE_KEY: z.string().startsWith('sb_publishable_'),
  SECRET_KEY: z.string().startsWith('sb_secret_'),
  JWKS_URL: z.url(),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  throw new Error(
    `tests need the stack's variables (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} missing or invalid): run them through npm test`,
  );
}

export const env = parsed.data;
