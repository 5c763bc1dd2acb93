// The one supabase-js client of the browser, typed with the generated database types.
import { createClient } from '@supabase/supabase-js';
import { env } from '$env/dynamic/public';
import { readPublicConfig } from './config.ts';
import type { Database } from './database.types.ts';

const config = readPublicConfig(env);

export const supabase = createClient<Database>(config.url, config.anonKey);
