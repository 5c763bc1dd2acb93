// The app is a client of the Supabase API: pages render in the browser, where supabase-js has
// the session and a native WebSocket (Node 20 has none for server rendering).
export const ssr = false;
