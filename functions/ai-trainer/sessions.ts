// The trainer's actions. Reads and the learner's own writes go through the caller's client (RLS
// decides); the customer's lines and the completion (report, score, XP) go through the service
// role, because a learner must never be able to write them; complete_training_session() in the
// database awards the XP, once.
import type { AiConfig } from '../_shared/ai/config.ts';
import { describeAi } from '../_shared/ai/config.ts';
import { ProviderError, providerErrorResponse } from '../_shared/ai/errors.ts';
import { ChatProvider } from '../_shared/ai/provider.ts';
import { sseEvent, sseHeaders } from '../_shared/ai/sse.ts';
import type { Db } from '../_shared/caller.ts';
import { corsHeaders, json } from '../_shared/cors.ts';
import { dbError, HttpError } from '../_shared/http.ts';
import type { Database } from '../../web/src/lib/database.types.ts';
import { type Category, GRACE_SECONDS, remainingSeconds, type StartSession } from './catalog.ts';
import { CATEGORIES, DIFFICULTIES, DURATIONS } from './catalog.ts';
import { retrieveSnippets } from './grounding.ts';
import { reportPdf } from './pdf.ts';
import { offlineCustomerReply, type Turn } from './personas.ts';
import { type CustomerContext, customerMessages, reportMessages } from './prompts.ts';
import {
  finalizeReport,
  modelReportSchema,
  offlineAssessment,
  type Report,
  reportSchema,
  type TranscriptLine,
} from './rubric.ts';

type SessionRow = Database['public']['Tables']['training_sessions']['Row'];

export interface TrainerContext {
  userId: string;
  caller: Db;
  service: Db;
  ai: AiConfig;
  provider: ChatProvider | null;
  now: () => Date;
}

const SESSION_COLUMNS =
  'id, user_id, organization_id, scenario_id, category, difficulty, duration_minutes, status, started_at, ends_at, completed_at, overall_score, xp_awarded';

function sessionView(s: SessionRow, now: Date) {
  return { ...s, remaining_seconds: s.status === 'active' ? remainingSeconds(s.ends_at, now) : 0 };
}

export async function catalog(ctx: TrainerContext): Promise<Response> {
  const [categories, scenarios] = await Promise.all([
    ctx.caller.from('training_categories').select('slug, name, description').order('position'),
    ctx.caller.from('training_scenarios').select('id, organization_id, category, difficulty, title').eq(
      'is_active',
      true,
    ).order('title'),
  ]);
  if (categories.error) throw dbError('list the training categories', categories.error);
  if (scenarios.error) throw dbError('list the training scenarios', scenarios.error);
  return json({
    categories: categories.data,
    difficulties: DIFFICULTIES,
    durations: DURATIONS,
    scenarios: scenarios.data,
    ai: describeAi(ctx.ai),
  });
}

export async function startSession(ctx: TrainerContext, input: StartSession): Promise<Response> {
  const { data, error } = await ctx.caller
    .from('training_sessions')
    .insert({
      category: input.category,
      difficulty: input.difficulty,
      duration_minutes: input.duration_minutes,
      organization_id: input.organization_id ?? null,
      scenario_id: input.scenario_id ?? null,
    })
    .select(SESSION_COLUMNS)
    .single();
  if (error) {
    if (error.code === '42501') {
      throw new HttpError(
        403,
        'Cannot start a session: you can only file a session under an organisation you are a member of',
      );
    }
    throw dbError('start a session', error);
  }
  return json({ session: sessionView(data, ctx.now()), messages: [], ai: describeAi(ctx.ai) }, 201);
}

/** The session as the caller sees it (RLS): 404 when it does not exist or is not theirs to see. */
async function visibleSession(ctx: TrainerContext, id: string): Promise<SessionRow> {
  const { data, error } = await ctx.caller.from('training_sessions').select(SESSION_COLUMNS).eq('id', id).maybeSingle();
  if (error) throw dbError('read the session', error);
  if (!data) throw new HttpError(404, `Cannot find training session ${id}: it does not exist or is not yours to see`);
  return data;
}

/** The caller's own session: staff may read a learner's session but not act in it. */
async function ownSession(ctx: TrainerContext, id: string, action: string): Promise<SessionRow> {
  const s = await visibleSession(ctx, id);
  if (s.user_id !== ctx.userId) throw new HttpError(403, `Cannot ${action}: only the learner of this session can`);
  return s;
}

async function transcript(
  ctx: TrainerContext,
  sessionId: string,
): Promise<(TranscriptLine & { created_at: string })[]> {
  const { data, error } = await ctx.caller
    .from('training_messages')
    .select('id, role, content, created_at')
    .eq('session_id', sessionId)
    .order('id');
  if (error) throw dbError('read the transcript', error);
  return data;
}

async function storedReport(ctx: TrainerContext, sessionId: string): Promise<Report | null> {
  const { data, error } = await ctx.caller
    .from('training_reports')
    .select('overall_score, summary, criteria, strengths, improvements, citations, generated_by')
    .eq('session_id', sessionId)
    .maybeSingle();
  if (error) throw dbError('read the report', error);
  return data ? reportSchema.parse({ ...data, overall_score: Number(data.overall_score) }) : null;
}

/** Resuming (a reopened tab): the session, its remaining time, its transcript, its report if any. */
export async function getSession(ctx: TrainerContext, id: string): Promise<Response> {
  const s = await visibleSession(ctx, id);
  const [messages, report] = await Promise.all([
    transcript(ctx, id),
    s.status === 'completed' ? storedReport(ctx, id) : null,
  ]);
  return json({ session: sessionView(s, ctx.now()), messages, report, ai: describeAi(ctx.ai) });
}

/** The caller's active session, if any (a reopened tab that lost the id). */
export async function activeSession(ctx: TrainerContext): Promise<Response> {
  const { data, error } = await ctx.caller
    .from('training_sessions')
    .select(SESSION_COLUMNS)
    .eq('user_id', ctx.userId)
    .eq('status', 'active')
    .order('started_at', { ascending: false })
    .limit(1)
    .maybeSingle();
  if (error) throw dbError('find your active session', error);
  if (!data) return json({ session: null, messages: [] });
  return json({
    session: sessionView(data, ctx.now()),
    messages: await transcript(ctx, data.id),
    ai: describeAi(ctx.ai),
  });
}

async function customerContext(ctx: TrainerContext, s: SessionRow): Promise<CustomerContext> {
  const [category, scenario] = await Promise.all([
    ctx.caller.from('training_categories').select('name').eq('slug', s.category).single(),
    s.scenario_id
      ? ctx.caller.from('training_scenarios').select('customer_brief').eq('id', s.scenario_id).maybeSingle()
      : null,
  ]);
  if (category.error) throw dbError('read the session category', category.error);
  if (!(CATEGORIES as readonly string[]).includes(s.category)) {
    throw new HttpError(500, `Cannot play category ${s.category}: unknown to the trainer`);
  }
  return {
    category: s.category as Category,
    categoryName: category.data.name,
    difficulty: s.difficulty,
    scenarioBrief: scenario?.data?.customer_brief ?? null,
    snippets: [],
  };
}

/** Splits a scripted reply into word deltas, as a model would stream it. */
function* words(text: string): Generator<string> {
  const parts = text.match(/\S+\s*/g) ?? [];
  for (const p of parts) yield p;
}

/**
 * The learner says something; the customer's reply streams back as SSE:
 *   {type:'start', learner_message_id, remaining_seconds, mode}, {type:'delta', content}…,
 *   {type:'done', message_id, content, remaining_seconds}  (or {type:'error', status, message}).
 * The reply is generated and stored even if the caller goes away mid-stream, so a reopened tab
 * finds it in the transcript. A provider refusal before the first token is a 502/503 JSON answer.
 */
export async function say(ctx: TrainerContext, id: string, content: string): Promise<Response> {
  const s = await ownSession(ctx, id, 'speak in this session');
  if (s.status !== 'active') {
    throw new HttpError(409, `Cannot speak in this session: it is ${s.status}; start a new one`);
  }
  const now = ctx.now();
  if (now.getTime() > Date.parse(s.ends_at) + GRACE_SECONDS * 1000) {
    throw new HttpError(410, 'Cannot speak in this session: time is up; end it to get your report', {
      remaining_seconds: 0,
    });
  }
  const [earlier, context, snippets] = await Promise.all([
    transcript(ctx, id),
    customerContext(ctx, s),
    retrieveSnippets(ctx.caller, { organizationId: s.organization_id, category: s.category, text: content }),
  ]);
  context.snippets = snippets;
  const lines: Turn[] = [...earlier, { role: 'learner', content }];

  // The provider must accept before the learner's line is stored: a refusal (502/503) leaves the
  // transcript as it was, so the learner simply says it again.
  let deltas: AsyncIterable<string> | Iterable<string>;
  const cancel = new AbortController();
  if (ctx.provider) {
    try {
      deltas = await ctx.provider.stream({
        messages: customerMessages(context, lines),
        temperature: 0.7,
        maxTokens: 300,
      }, cancel.signal);
    } catch (e) {
      if (e instanceof ProviderError) return providerErrorResponse(e);
      throw e;
    }
  } else {
    deltas = words(offlineCustomerReply(context.category, context.difficulty, lines));
  }
  const inserted = await ctx.caller.from('training_messages').insert({ session_id: id, content }).select('id').single();
  if (inserted.error) {
    cancel.abort();
    throw dbError('store your message', inserted.error);
  }

  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (payload: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(sseEvent(payload));
        } catch {
          open = false;
        }
      };
      send({
        type: 'start',
        session_id: id,
        learner_message_id: inserted.data.id,
        remaining_seconds: remainingSeconds(s.ends_at, ctx.now()),
        mode: ctx.ai.mode,
      });
      void (async () => {
        let reply = '';
        try {
          for await (const d of deltas) {
            reply += d;
            send({ type: 'delta', content: d });
          }
          const text = reply.trim() || '...';
          const stored = await ctx.service.from('training_messages').insert({
            session_id: id,
            role: 'customer',
            content: text.slice(0, 4000),
          }).select('id').single();
          if (stored.error) throw dbError('store the customer reply', stored.error);
          send({
            type: 'done',
            message_id: stored.data.id,
            content: text,
            remaining_seconds: remainingSeconds(s.ends_at, ctx.now()),
          });
        } catch (e) {
          const status = e instanceof ProviderError || e instanceof HttpError ? e.status : 500;
          send({ type: 'error', status, message: (e as Error).message });
          if (!(e instanceof ProviderError)) console.error(e);
        } finally {
          if (open) {
            open = false;
            try {
              controller.close();
            } catch {
              // the caller went away
            }
          }
        }
      })();
    },
    cancel() {
      open = false;
    },
  });
  return new Response(body, { headers: { ...corsHeaders, ...sseHeaders } });
}

/** Ends the session: the report (the model's, checked, or the offline rubric), stored with its XP. */
export async function endSession(ctx: TrainerContext, id: string): Promise<Response> {
  const s = await ownSession(ctx, id, 'end this session');
  if (s.status === 'completed') {
    return json({
      session: sessionView(s, ctx.now()),
      report: await storedReport(ctx, id),
      xp_awarded: s.xp_awarded,
      already_completed: true,
    });
  }
  if (s.status !== 'active') throw new HttpError(409, `Cannot end this session: it was ${s.status}`);
  const lines = await transcript(ctx, id);
  const context = await customerContext(ctx, s);
  const citations = await retrieveSnippets(ctx.caller, {
    organizationId: s.organization_id,
    category: s.category,
    text: lines.map((l) => l.content).join(' ').slice(-2000),
  });
  let report: Report;
  if (ctx.provider) {
    try {
      const assessed = await ctx.provider.json(
        { messages: reportMessages(context, lines), temperature: 0 },
        modelReportSchema,
        'training_report',
      );
      report = finalizeReport(assessed, lines, ctx.provider.config.model, citations);
    } catch (e) {
      if (e instanceof ProviderError) return providerErrorResponse(e);
      throw e;
    }
  } else {
    report = finalizeReport(offlineAssessment(lines), lines, 'offline', citations);
  }
  const { data, error } = await ctx.service.rpc('complete_training_session', { p_session: id, p_report: report });
  if (error) throw dbError('store the report', error);
  const result = data as { overall_score: number; xp_awarded: number; already_completed: boolean };
  const after = await visibleSession(ctx, id);
  return json({
    session: sessionView(after, ctx.now()),
    report: result.already_completed ? await storedReport(ctx, id) : report,
    xp_awarded: result.xp_awarded,
    already_completed: result.already_completed,
  });
}

/** The report as a PDF, for the learner and the staff who may read the session. */
export async function exportPdf(ctx: TrainerContext, id: string): Promise<Response> {
  const s = await visibleSession(ctx, id);
  const report = s.status === 'completed' ? await storedReport(ctx, id) : null;
  if (!report) throw new HttpError(409, 'Cannot export the report: the session has not ended yet');
  const [lines, notes, learner, category] = await Promise.all([
    transcript(ctx, id),
    ctx.caller.from('training_notes').select('body, created_at').eq('session_id', id).order('created_at'),
    ctx.caller.from('profiles').select('display_name, username').eq('id', s.user_id).maybeSingle(),
    ctx.caller.from('training_categories').select('name').eq('slug', s.category).single(),
  ]);
  if (notes.error) throw dbError('read the notes', notes.error);
  const pdf = await reportPdf({
    session: s,
    categoryName: category.data?.name ?? s.category,
    learnerName: learner.data?.display_name ?? learner.data?.username ?? s.user_id,
    report,
    transcript: lines,
    notes: notes.data,
  });
  return new Response(pdf as BodyInit, {
    headers: {
      ...corsHeaders,
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="training-report-${id}.pdf"`,
    },
  });
}
