// What GoTrue's template mailer sends: its default subjects and bodies, verification links of the
// form <API_EXTERNAL_URL>/verify?token=…&type=…&redirect_to=…, the instance-wide `email_sent`
// limit; delivery is into the local mail sink.
import type { AuthSettings } from './config.ts';
import { ErrorCode, tooManyRequests } from './errors.ts';
import { escapeHtml } from '../kit/local-sinks.ts';
import type { MailMessage, MailSink } from './mailsink.ts';
import type { IntervalLimiter } from './ratelimit.ts';

export type EmailType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change' | 'reauthentication';

const SUBJECTS: Record<EmailType, string> = {
  invite: "You've been invited",
  signup: 'Confirm your email address',
  recovery: 'Reset your password',
  magiclink: 'Your sign-in link',
  email_change: 'Confirm your new email address',
  reauthentication: '{{token}} is your verification code',
};

interface TemplateData {
  link: string;
  token: string;
  email: string;
  newEmail: string;
}

const BODIES: Record<EmailType, (d: TemplateData) => string> = {
  invite: (d) => `<h2>You've been invited</h2>

<p>You've been invited to create an account. Follow the link below to accept.</p>
<p><a href="${d.link}">Accept invitation</a></p>`,
  signup: (d) => `<h2>Confirm your email address</h2>

<p>Follow the link below to confirm this email address and finish signing up.</p>
<p><a href="${d.link}">Confirm email address</a></p>
`,
  recovery: (d) => `<h2>Reset your password</h2>

<p>We received a request to reset your password. Follow the link below to choose a new one.</p>
<p><a href="${d.link}">Reset password</a></p>
<p>If you didn't request this, you can safely ignore this email.</p>`,
  magiclink: (d) => `<h2>Your sign-in link</h2>

<p>Follow the link below to sign in. This link expires shortly and can only be used once.</p>
<p><a href="${d.link}">Sign in</a></p>`,
  email_change: (d) => `<h2>Confirm your new email address</h2>

<p>Follow the link below to confirm ${d.newEmail} as your new email address.</p>
<p><a href="${d.link}">Confirm new email address</a></p>
<p>If you didn't request this change, you can safely ignore this email.</p>`,
  reauthentication: (d) => `<h2>Your verification code</h2>

<p>Use the code below to verify your identity. It expires shortly.</p>
<p>${d.token}</p>`,
};

/** Go's url.QueryEscape: everything but unreserved characters escaped, space as `+`. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** GoTrue escapes `redirect_to` only when it contains `&`, `=` or `#`. */
function encodeRedirect(url: string): string {
  return /[&=#]/.test(url) ? goQueryEscape(url) : url;
}

export interface EmailParams {
  type: EmailType;
  /** The address the message goes to. */
  to: string;
  otp: string;
  /** The token the link carries: the stored hash, `pkce_`-prefixed in PKCE flows. */
  tokenHash: string;
  redirectTo: string;
  /** The user's current email (email change), for the template. */
  email?: string;
  newEmail?: string;
}

export class Mailer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly sink: MailSink,
    private readonly limiter: IntervalLimiter,
  ) {}

  /** `<external url>/verify?token=…&type=…&redirect_to=…`, byte for byte as GoTrue builds it. */
  actionLink(tokenHash: string, type: string, redirectTo: string): string {
    return `${this.settings.externalUrl}/verify?token=${goQueryEscape(tokenHash)}&type=${goQueryEscape(type)}&redirect_to=${encodeRedirect(redirectTo)}`;
  }

  /**
   * The instance-wide `email_sent` window, applied once per sending request (not per message)
   * and only when confirmations are on, as GoTrue does.
   */
  takeSendAllowance(): void {
    const exceeded = () => tooManyRequests(ErrorCode.overEmailSendRateLimit, 'email rate limit exceeded');
    if (this.settings.rateLimit.emailSent === 0) throw exceeded();
    if (!this.settings.email.autoconfirm && !this.limiter.allow()) throw exceeded();
  }

  /** Renders and stores one message; returns it as the sink keeps it. */
  deliver(p: EmailParams): MailMessage {
    const linkType = p.type === 'reauthentication' ? undefined : p.type;
    const link = linkType ? this.actionLink(p.tokenHash, linkType, p.redirectTo) : '';
    const data: TemplateData = {
      link: escapeHtml(link),
      token: escapeHtml(p.otp),
      email: escapeHtml(p.email ?? p.to),
      newEmail: escapeHtml(p.newEmail ?? ''),
    };
    const html = BODIES[p.type](data);
    const subject = SUBJECTS[p.type].replace('{{token}}', p.otp);
    const lines = [subject, ''];
    if (link) lines.push(`Follow this link: ${link}`, '');
    if (p.otp) lines.push(`Or enter this code: ${p.otp}`);
    return this.sink.add({
      from: 'Supabase Auth <admin@email.com>',
      to: [p.to],
      subject,
      html,
      text: `${lines.join('\n')}\n`,
      type: p.type,
      otp: p.otp || null,
      token_hash: p.tokenHash || null,
      action_link: link || null,
      redirect_to: p.redirectTo || null,
    });
  }

  /** One request's emails: the allowance once, then each message. */
  send(...messages: EmailParams[]): MailMessage[] {
    this.takeSendAllowance();
    return messages.map((m) => this.deliver(m));
  }
}
