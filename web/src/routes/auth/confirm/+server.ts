// Where links from emails land: a PKCE code (the usual flow, same browser) or a token hash (any
// browser). Either way the session ends up in cookies and the learner goes on to `next`.
import { redirect } from '@sveltejs/kit';
import type { EmailOtpType } from '@supabase/supabase-js';
import { safeNext } from '$lib/forms.ts';
import type { RequestHandler } from './$types';

const OTP_TYPES = new Set<EmailOtpType>(['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email']);

export const GET: RequestHandler = async ({ url, locals }) => {
  const next = safeNext(url.searchParams.get('next'));
  const code = url.searchParams.get('code');
  const tokenHash = url.searchParams.get('token_hash');
  const type = url.searchParams.get('type') as EmailOtpType | null;

  let failure: string | null = null;
  if (code) {
    const { error } = await locals.supabase.auth.exchangeCodeForSession(code);
    if (error) failure = error.code ?? 'exchange_failed';
  } else if (tokenHash && type && OTP_TYPES.has(type)) {
    const { error } = await locals.supabase.auth.verifyOtp({ token_hash: tokenHash, type });
    if (error) failure = error.code ?? 'verify_failed';
  } else {
    // The auth server reports a bad or expired link in the URL fragment, which only the page sees.
    failure = url.searchParams.get('error_code') ?? 'missing_code';
  }
  if (failure) redirect(303, `/auth/error?reason=${encodeURIComponent(failure)}`);
  redirect(303, type === 'recovery' ? '/auth/reset' : next);
};
