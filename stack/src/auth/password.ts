// The password policy of `[auth]` (minimum_password_length, password_requirements), checked as
// GoTrue's checkPasswordStrength does: 72 bytes at most, then every failed rule in one message.
import { AuthError, badRequest, ErrorCode, weakPassword } from './errors.ts';

export const MAX_PASSWORD_LENGTH = 72;

export interface PasswordPolicy {
  minLength: number;
  requiredCharacters: string[];
}

/** Undefined when the password is acceptable, else the error GoTrue answers with. */
export function passwordProblem(password: string, policy: PasswordPolicy): AuthError | undefined {
  if (Buffer.byteLength(password) > MAX_PASSWORD_LENGTH) {
    return badRequest(ErrorCode.validationFailed, `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  const reasons: string[] = [];
  const messages: string[] = [];
  // Go counts bytes: len(password).
  if (Buffer.byteLength(password) < policy.minLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${policy.minLength} characters.`);
  }
  for (const set of policy.requiredCharacters) {
    if (set && ![...set].some((ch) => password.includes(ch))) {
      reasons.push('characters');
      messages.push(`Password should contain at least one character of each: ${policy.requiredCharacters.join(', ')}.`);
      break;
    }
  }
  return reasons.length ? weakPassword(messages.join(' '), reasons) : undefined;
}

export function checkPassword(password: string, policy: PasswordPolicy): void {
  const problem = passwordProblem(password, policy);
  if (problem) throw problem;
}
