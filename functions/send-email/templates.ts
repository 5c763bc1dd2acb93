// The e-mail templates: one small typed function per template name of email_outbox.template, each
// with the zod schema of the template_data the database writes for it (see the migration that
// queues them: private.notifications_after_insert, notify_invitation, queue_weekly_progress_emails).
import { z } from 'zod';
import { type Block, type Email, renderLayout, safeHref } from './layout.ts';

export interface RenderContext {
  /** The web app's address, for links (APP_URL; locally the site_url of config.toml). */
  appUrl: string;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const name = z.string().trim().max(100).nullish().transform((v) => v || null);
const count = z.coerce.number().int().min(0).max(1e9);

/** What a notification mirrored to e-mail carries (private.notifications_after_insert). */
function notification<D extends z.ZodType>(data: D) {
  return z.object({
    title: text(200),
    body: z.string().max(1000).nullish().transform((v) => v ?? null),
    display_name: name,
    data,
  });
}

const schemas = {
  welcome: z.object({ display_name: name }),
  invitation: z.object({
    invitation_id: z.union([z.string(), z.number()]).transform(String),
    organization_name: text(200),
    role: z.enum(['owner', 'admin', 'instructor', 'learner']),
    expires_at: z.string().min(10),
    invited_by: name,
  }),
  weekly_progress: z.object({
    display_name: name,
    week: text(20),
    xp_earned: count,
    quizzes: count,
    level: count,
    total_xp: count,
    current_streak: count,
  }),
  streak_at_risk: notification(z.object({ current_streak: count }).passthrough()),
  level_up: notification(
    z.object({ level: count, previous_level: count.optional(), xp: count.optional() }).passthrough(),
  ),
  achievement: notification(z.object({ xp_reward: count.optional() }).passthrough()),
  assignment_due: notification(
    z.object({ assignment_id: z.union([z.string(), z.number()]).transform(String), due_at: z.string().optional() })
      .passthrough(),
  ),
  report_ready: notification(z.object({ session_id: z.union([z.string(), z.number()]).optional() }).passthrough()),
  system: notification(z.object({}).passthrough()),
} as const;

export type TemplateName = keyof typeof schemas;
export const TEMPLATE_NAMES = Object.keys(schemas) as TemplateName[];
export type TemplateData<T extends TemplateName> = z.input<(typeof schemas)[T]>;

const greet = (n: string | null) => (n ? `Hi ${n},` : 'Hi,');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => iso.slice(0, 10);
const PREFERENCES = 'You get this e-mail because of your Ascend notification settings; change them under Settings.';
const TRANSACTIONAL = 'You get this e-mail because of an action on your Ascend account.';

type Renderers = { [T in TemplateName]: (d: z.output<(typeof schemas)[T]>, link: (path: string) => string) => Email };

const renderers: Renderers = {
  welcome: (d, link) =>
    renderLayout({
      subject: 'Welcome to Ascend',
      heading: 'Welcome to Ascend',
      greeting: greet(d.display_name),
      blocks: [
        {
          kind: 'paragraph',
          text:
            'Your account is ready. Practise with exam-style quizzes, earn XP, keep a streak and climb the leaderboards.',
        },
        { kind: 'button', label: 'Start practising', href: link('/') },
      ],
      footer: TRANSACTIONAL,
    }),
  invitation: (d, link) =>
    renderLayout({
      subject: `You are invited to join ${d.organization_name} on Ascend`,
      heading: `Join ${d.organization_name}`,
      greeting: 'Hi,',
      blocks: [
        {
          kind: 'paragraph',
          text: `${d.invited_by ?? 'An administrator'} invited you to ${d.organization_name} as ${d.role}.`,
        },
        { kind: 'facts', items: [['Role', d.role], ['Expires', day(d.expires_at)]] },
        { kind: 'paragraph', text: 'Sign in (or create an account) with this e-mail address to accept it.' },
        {
          kind: 'button',
          label: 'View the invitation',
          href: link(`/invitations/${encodeURIComponent(d.invitation_id)}`),
        },
      ],
      footer:
        'You get this e-mail because someone invited this address to Ascend. Ignore it if you do not want to join.',
    }),
  weekly_progress: (d, link) =>
    renderLayout({
      subject: `Your week on Ascend: ${d.xp_earned} XP`,
      heading: `Your progress, week ${d.week}`,
      greeting: greet(d.display_name),
      blocks: [
        {
          kind: 'paragraph',
          text: `You earned ${d.xp_earned} XP in ${plural(d.quizzes, 'quiz', 'quizzes')} this week.`,
        },
        {
          kind: 'facts',
          items: [['Level', String(d.level)], ['Total XP', String(d.total_xp)], [
            'Current streak',
            plural(d.current_streak, 'day'),
          ]],
        },
        { kind: 'button', label: 'Keep going', href: link('/') },
      ],
      footer: PREFERENCES,
    }),
  streak_at_risk: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: d.title,
      greeting: greet(d.display_name),
      blocks: [
        { kind: 'paragraph', text: d.body ?? 'Complete a quiz today to keep your streak.' },
        { kind: 'facts', items: [['Current streak', plural(d.data.current_streak, 'day')]] },
        { kind: 'button', label: 'Take a quick quiz', href: link('/') },
      ],
      footer: PREFERENCES,
    }),
  level_up: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: `Level ${d.data.level}!`,
      greeting: greet(d.display_name),
      blocks: [
        { kind: 'paragraph', text: d.body ?? `You reached level ${d.data.level}.` },
        ...(d.data.xp === undefined
          ? []
          : [{ kind: 'facts', items: [['Total XP', String(d.data.xp)]] } satisfies Block]),
        { kind: 'button', label: 'See your progress', href: link('/') },
      ],
      footer: PREFERENCES,
    }),
  achievement: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: d.title,
      greeting: greet(d.display_name),
      blocks: [
        ...(d.body ? [{ kind: 'paragraph', text: d.body } satisfies Block] : []),
        ...(d.data.xp_reward
          ? [{ kind: 'facts', items: [['Bonus XP', String(d.data.xp_reward)]] } satisfies Block]
          : []),
        { kind: 'button', label: 'See your achievements', href: link('/achievements') },
      ],
      footer: PREFERENCES,
    }),
  assignment_due: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: d.title,
      greeting: greet(d.display_name),
      blocks: [
        ...(d.body ? [{ kind: 'paragraph', text: d.body } satisfies Block] : []),
        ...(d.data.due_at ? [{ kind: 'facts', items: [['Due', day(d.data.due_at)]] } satisfies Block] : []),
        {
          kind: 'button',
          label: 'Open the assignment',
          href: link(`/assignments/${encodeURIComponent(d.data.assignment_id)}`),
        },
      ],
      footer: PREFERENCES,
    }),
  report_ready: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: d.title,
      greeting: greet(d.display_name),
      blocks: [
        { kind: 'paragraph', text: d.body ?? 'The report of your training session is ready.' },
        {
          kind: 'button',
          label: 'Read the report',
          href: link(
            d.data.session_id === undefined
              ? '/training'
              : `/training/${encodeURIComponent(String(d.data.session_id))}`,
          ),
        },
      ],
      footer: PREFERENCES,
    }),
  system: (d, link) =>
    renderLayout({
      subject: d.title,
      heading: d.title,
      greeting: greet(d.display_name),
      blocks: [...(d.body ? [{ kind: 'paragraph', text: d.body } satisfies Block] : []), {
        kind: 'button',
        label: 'Open Ascend',
        href: link('/'),
      }],
      footer: TRANSACTIONAL,
    }),
};

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function isTemplateName(s: string): s is TemplateName {
  return Object.hasOwn(schemas, s);
}

/** Renders a template with its data; TemplateError names the template and what is wrong. */
export function renderTemplate(template: string, data: unknown, ctx: RenderContext): Email {
  if (!isTemplateName(template)) {
    throw new TemplateError(
      `Cannot render email: unknown template "${template}" (known: ${TEMPLATE_NAMES.join(', ')})`,
    );
  }
  const parsed = schemas[template].safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
    throw new TemplateError(`Cannot render email: template "${template}" data is invalid (${issues})`);
  }
  const base = ctx.appUrl.replace(/\/+$/, '');
  const link = (path: string) => safeHref(`${base}${path}`, `${base}/`);
  // deno-lint-ignore no-explicit-any -- the mapped types guarantee schema and renderer agree
  return (renderers[template] as (d: any, l: typeof link) => Email)(parsed.data, link);
}
