// The errors `/functions/v1` answers itself, with the bodies Supabase's functions gateway and edge
// runtime send (supabase/cli internal/functions/serve/templates/main.ts; hosted NOT_FOUND).

export const FUNCTION_ERRORS = {
  NOT_FOUND: { status: 404, message: 'Requested function was not found' },
  BOOT_ERROR: { status: 503, message: 'Worker failed to boot (please check logs)' },
  WORKER_ERROR: { status: 500, message: 'Function exited due to an error (please check logs)' },
  WORKER_LIMIT: { status: 546, message: 'Worker failed to respond due to a resource limit (please check logs)' },
} as const;

export type FunctionErrorCode = keyof typeof FUNCTION_ERRORS;

/** `{code, message}` with the code's status. */
export function functionError(code: FunctionErrorCode): Response {
  const { status, message } = FUNCTION_ERRORS[code];
  return new Response(JSON.stringify({ code, message }), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The runtime's JWT refusal: 401 `{msg}`. */
export function unauthorized(msg: string): Response {
  return new Response(JSON.stringify({ msg }), { status: 401, headers: { 'Content-Type': 'application/json' } });
}
