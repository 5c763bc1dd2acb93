// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session, SupabaseClient, User } from '@supabase/supabase-js';
import type { Database } from '$lib/database.types';
import type { Theme } from '$lib/theme';

declare global {
  namespace App {
    interface Locals {
      /** The request's Supabase client: acts as the signed-in user, so RLS applies. */
      supabase: SupabaseClient<Database>;
      /** The session, with its user validated by the auth server (never trusted from the cookie alone). */
      safeGetSession: () => Promise<{ session: Session | null; user: User | null }>;
      session: Session | null;
      user: User | null;
      theme: Theme;
    }
    interface PageData {
      user?: { id: string; email: string | null } | null;
      theme?: Theme;
    }
    interface PageState {
      /** The quiz step shown, moved between questions without a server round trip. */
      step?: number;
    }
    interface Error {
      message: string;
      /** What the person can do about it. */
      hint?: string;
    }
  }
}

export {};
