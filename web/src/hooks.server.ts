// Every request: a Supabase client acting as the caller (session in cookies, user validated by
// the auth server), the sign-in guard for /app, the theme, and the security headers.
import { createServerClient } from '@supabase/ssr';
import WebSocket from 'ws';
import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/public';
import { readPublicConfig } from '$lib/config.ts';
import type { Database } from '$lib/database.types.ts';
import { STATIC_HEADERS, withConnectSrc } from '$lib/security.ts';
import { parseTheme, THEME_COOKIE, themeClass } from '$lib/theme.ts';

const config = readPublicConfig(env);

const supabase: Handle = async ({ event, resolve }) => {
  event.locals.supabase = createServerClient<Database>(config.url, config.anonKey, {
    // Node 20 has no WebSocket; the server never subscribes, but supabase-js wants a transport.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    cookies: {
      getAll: () => event.cookies.getAll(),
      setAll: (cookiesToSet) => {
        for (const { name, value, options } of cookiesToSet) event.cookies.set(name, value, { ...options, path: '/' });
      },
    },
  });

  // getSession() only reads the cookie; getUser() asks the auth server whether the token is real.
  event.locals.safeGetSession = async () => {
    const {
      data: { session },
    } = await event.locals.supabase.auth.getSession();
    if (!session) return { session: null, user: null };
    const {
      data: { user },
      error,
    } = await event.locals.supabase.auth.getUser();
    if (error || !user) return { session: null, user: null };
    return { session, user };
  };

  return resolve(event, {
    // supabase-js needs these response headers to see its own errors.
    filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version',
  });
};

const PROTECTED = /^\/app(\/|$)/;

const guard: Handle = async ({ event, resolve }) => {
  const { session, user } = await event.locals.safeGetSession();
  event.locals.session = session;
  event.locals.user = user;
  if (!user && PROTECTED.test(event.url.pathname)) {
    const next = event.url.pathname + event.url.search;
    redirect(303, `/login?next=${encodeURIComponent(next)}`);
  }
  return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  event.locals.theme = theme;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%ascend.theme%', themeClass(theme)),
  });
  const csp = response.headers.get('content-security-policy');
  try {
    if (csp) response.headers.set('content-security-policy', withConnectSrc(csp, config.url));
    for (const [name, value] of Object.entries(STATIC_HEADERS)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
  } catch {
    // Immutable headers (a fetched response passed through): leave them as they are.
  }
  return response;
};

export const handle = sequence(headers, supabase, guard);
