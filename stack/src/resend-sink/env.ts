// What the edge functions get for Resend locally: the sink's address and the instance's
// service_role key as the API key, unless functions/.env sets a RESEND_API_KEY of its own (then
// they send for real, through RESEND_BASE_URL if that is set too, else https://api.resend.com).
import { PREFIX } from './index.ts';

export function localResendEnv(secrets: Record<string, string>, apiUrl: string, serviceRoleKey: string): Record<string, string> {
  if (secrets.RESEND_API_KEY) return {};
  return { RESEND_API_KEY: serviceRoleKey, RESEND_BASE_URL: `${apiUrl}${PREFIX}` };
}
