// Turning auth errors into what a person can act on, next to the right field.
import type { AuthError } from '@supabase/supabase-js';

export function authMessage(error: AuthError): { field: string; message: string } {
  switch (error.code) {
    case 'invalid_credentials':
      return { field: '_form', message: 'That email and password do not match. Check them, or sign in with a link instead.' };
    case 'email_not_confirmed':
      return { field: '_form', message: 'Confirm your email first: open the link we sent you (we can send it again).' };
    case 'user_already_exists':
    case 'email_exists':
      return { field: 'email', message: 'An account already uses this email. Sign in instead.' };
    case 'weak_password':
      return { field: 'password', message: error.message || 'Choose a stronger password.' };
    case 'over_email_send_rate_limit':
    case 'over_request_rate_limit':
      return { field: '_form', message: 'Too many attempts just now. Wait a minute and try again.' };
    case 'signup_disabled':
      return { field: '_form', message: 'Sign-ups are closed at the moment.' };
    default:
      return { field: '_form', message: error.message || 'Something went wrong. Try again.' };
  }
}

/** Where confirmation and sign-in links come back to. */
export function confirmUrl(origin: string, next: string): string {
  return `${origin}/auth/confirm?next=${encodeURIComponent(next)}`;
}
