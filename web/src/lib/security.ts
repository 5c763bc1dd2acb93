// Security headers every response carries; the CSP itself comes from SvelteKit (svelte.config.js),
// which signs its inline scripts, and is completed here with the Supabase API it must reach.

/** `connect-src` for the API: HTTP for REST/auth and the matching WebSocket scheme for realtime. */
export function connectSources(apiUrl: string): string[] {
  const url = new URL(apiUrl);
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return ["'self'", url.origin, ws];
}

/** Adds (or replaces) connect-src in a CSP header value. */
export function withConnectSrc(csp: string, apiUrl: string): string {
  const directives = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !d.startsWith('connect-src'));
  directives.push(`connect-src ${connectSources(apiUrl).join(' ')}`);
  return directives.join('; ');
}

export const STATIC_HEADERS: Record<string, string> = {
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};
