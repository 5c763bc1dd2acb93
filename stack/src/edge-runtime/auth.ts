// `verify_jwt`: the check the edge runtime's main worker makes before a function sees a request,
// with its exact wording (supabase/cli internal/functions/serve/templates/main.ts).

/**
 * Why the request is refused, or undefined when it may pass. `verify` says whether a token is a
 * valid JWT of this project. The scheme is case-sensitive and split on one space, as upstream.
 */
export async function jwtRefusal(
  authorization: string | undefined,
  verify: (token: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (!authorization) return 'Missing authorization header';
  const [scheme, token] = authorization.split(' ');
  if (scheme !== 'Bearer') return "Auth header is not 'Bearer {token}'";
  if (!token || !(await verify(token))) return 'Invalid JWT';
  return undefined;
}
