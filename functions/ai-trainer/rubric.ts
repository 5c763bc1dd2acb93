// The rubric a session is scored against, the report's schema (zod, and the JSON schema derived
// from it that the model is asked to fill), and the two ways to fill it: the model's answer,
// checked against the transcript, or the offline rule-based rubric.
import { z } from 'zod';

export interface Criterion {
  key: CriterionKey;
  name: string;
  weight: number;
  description: string;
}

export const CRITERION_KEYS = [
  'rapport',
  'discovery',
  'solution',
  'objection_handling',
  'closing',
  'communication',
] as const;
export type CriterionKey = (typeof CRITERION_KEYS)[number];

export const CRITERIA: Criterion[] = [
  {
    key: 'rapport',
    name: 'Opening and rapport',
    weight: 1,
    description: 'Greets the customer, introduces themself, builds trust.',
  },
  {
    key: 'discovery',
    name: 'Needs discovery',
    weight: 1.5,
    description: "Asks open questions and listens to understand the customer's needs.",
  },
  {
    key: 'solution',
    name: 'Solution and product knowledge',
    weight: 1,
    description: "Explains a fitting option accurately, in terms of the customer's needs.",
  },
  {
    key: 'objection_handling',
    name: 'Objection handling',
    weight: 1.5,
    description: 'Acknowledges objections with empathy and answers them with reasons.',
  },
  {
    key: 'closing',
    name: 'Closing and next steps',
    weight: 1,
    description: 'Proposes a clear next step and asks for the commitment.',
  },
  {
    key: 'communication',
    name: 'Clarity and professionalism',
    weight: 1,
    description: 'Clear, concise, polite, no jargon or pressure.',
  },
];

/** What the model is asked for (structured output): a score 0-5 and quotes per criterion. */
export const modelReportSchema = z.strictObject({
  summary: z.string().min(1).max(1000),
  criteria: z
    .array(
      z.strictObject({
        key: z.enum(CRITERION_KEYS),
        score: z.number().int().min(0).max(5),
        evidence: z.array(z.strictObject({ quote: z.string().min(1).max(400) })).max(3),
        comment: z.string().max(600),
      }),
    )
    .min(1)
    .max(CRITERIA.length),
  strengths: z.array(z.string().min(1).max(300)).max(5),
  improvements: z.array(z.string().min(1).max(300)).max(5),
});
export type ModelReport = z.infer<typeof modelReportSchema>;

export const citationSchema = z.strictObject({
  source: z.string().min(1).max(300),
  snippet: z.string().min(1).max(1000),
});
export type Citation = z.infer<typeof citationSchema>;

/** The stored report (training_reports, and what the function answers). */
export const reportSchema = z.strictObject({
  overall_score: z.number().min(0).max(100),
  summary: z.string().min(1).max(4000),
  criteria: z
    .array(
      z.strictObject({
        key: z.enum(CRITERION_KEYS),
        name: z.string(),
        weight: z.number().positive(),
        score: z.number().min(0).max(5),
        evidence: z.array(z.strictObject({ quote: z.string().min(1), message_id: z.number().int() })),
        comment: z.string(),
      }),
    )
    .length(CRITERIA.length),
  strengths: z.array(z.string()),
  improvements: z.array(z.string()),
  citations: z.array(citationSchema),
  generated_by: z.string().min(1).max(200),
});
export type Report = z.infer<typeof reportSchema>;

/** The JSON schemas, for integrators and for the model's response_format. */
export const reportJsonSchema = z.toJSONSchema(reportSchema);
export const modelReportJsonSchema = z.toJSONSchema(modelReportSchema);

export interface TranscriptLine {
  id: number;
  role: 'learner' | 'customer';
  content: string;
}

const normalize = (s: string) =>
  s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();

/** The learner line a quote comes from (quotes are of what the learner said), or undefined. */
export function findQuote(quote: string, transcript: TranscriptLine[]): TranscriptLine | undefined {
  const q = normalize(quote).replace(/^["']|["']$/g, '').replace(/\.\.\.$|…$/, '').trim();
  if (q.length < 3) return undefined;
  return transcript.find((m) => m.role === 'learner' && normalize(m.content).includes(q));
}

/**
 * The stored report from a filled rubric: every criterion present once (a missing one scores 0),
 * evidence kept only when it is really quoted from the learner's lines (with the line's id), a
 * score above 1 without any evidence capped at 1, and the overall score computed here, weighted.
 */
export function finalizeReport(
  model: ModelReport,
  transcript: TranscriptLine[],
  generatedBy: string,
  citations: Citation[] = [],
): Report {
  const criteria = CRITERIA.map((c) => {
    const given = model.criteria.find((x) => x.key === c.key);
    if (!given) return { key: c.key, name: c.name, weight: c.weight, score: 0, evidence: [], comment: 'Not assessed.' };
    const evidence = given.evidence.flatMap((e) => {
      const line = findQuote(e.quote, transcript);
      return line ? [{ quote: e.quote.trim(), message_id: line.id }] : [];
    });
    let score = given.score;
    let comment = given.comment;
    if (evidence.length === 0 && score > 1) {
      score = 1;
      comment = `${comment} (Score capped at 1: no evidence quoted from the transcript.)`.trim();
    }
    return { key: c.key, name: c.name, weight: c.weight, score, evidence, comment };
  });
  const total = CRITERIA.reduce((n, c) => n + c.weight * 5, 0);
  const earned = criteria.reduce((n, c) => n + c.weight * c.score, 0);
  return reportSchema.parse({
    overall_score: Math.round((earned / total) * 10000) / 100,
    summary: model.summary,
    criteria,
    strengths: model.strengths,
    improvements: model.improvements,
    citations,
    generated_by: generatedBy,
  });
}

// ---------------------------------------------------------------------------
// The offline rubric: rules over the learner's lines
// ---------------------------------------------------------------------------

const CUES: Record<Exclude<CriterionKey, 'communication'>, RegExp> = {
  rapport: /\b(hello|hi|good (morning|afternoon|evening)|welcome|nice to meet|thank you|thanks|my name is)\b/i,
  discovery: /\?|\b(what|how|why|which|tell me|could you|would you)\b/i,
  solution: /\b(we offer|our|option|system|guarantee|includes?|lasts?|material|process|session|maintenance|natural)\b/i,
  objection_handling:
    /\b(understand|i hear you|makes sense|fair point|appreciate|that's why|because|compared|value)\b/i,
  closing: /\b(book|appointment|schedule|start today|sign up|go ahead|next step|shall we|reserve)\b/i,
};

const ADVICE: Record<CriterionKey, string> = {
  rapport: 'Open with a greeting and your name, and thank the customer for coming.',
  discovery: 'Ask more open questions (what, how, why) before proposing anything.',
  solution: 'Explain concretely what you offer and how it meets the need the customer named.',
  objection_handling: 'Acknowledge each objection ("I understand…") before answering it with a reason.',
  closing: 'Propose a clear next step, such as booking an appointment, and ask for it.',
  communication: 'Keep each answer short and clear: one idea per message.',
};

/** The sentence of `text` that contains the match of `re` (an exact substring of `text`). */
function sentenceWith(text: string, re: RegExp): string | undefined {
  const m = re.exec(text);
  if (!m) return undefined;
  const start = Math.max(
    text.lastIndexOf('.', m.index) + 1,
    text.lastIndexOf('!', m.index) + 1,
    text.lastIndexOf('?', m.index - 1) + 1,
    0,
  );
  const endCandidates = ['.', '!', '?'].map((p) => text.indexOf(p, m.index + m[0].length - 1)).filter((i) => i >= 0);
  const end = endCandidates.length ? Math.min(...endCandidates) + 1 : text.length;
  return text.slice(start, end).trim().slice(0, 300);
}

/** The rubric filled by rules: cue phrases in the learner's lines, quoted as evidence. */
export function offlineAssessment(transcript: TranscriptLine[]): ModelReport {
  const learner = transcript.filter((m) => m.role === 'learner');
  const criteria = CRITERIA.map((c) => {
    if (c.key === 'communication') {
      const clear = learner.filter((m) => {
        const words = m.content.trim().split(/\s+/).length;
        return words >= 4 && words <= 80 && m.content !== m.content.toUpperCase();
      });
      const score = learner.length === 0 ? 0 : Math.round((clear.length / learner.length) * 5);
      return {
        key: c.key,
        score,
        evidence: clear.slice(0, 1).map((m) => ({ quote: m.content.trim().slice(0, 300) })),
        comment: `${clear.length} of ${learner.length} messages were of a clear length (4-80 words).`,
      };
    }
    const re = CUES[c.key];
    const hits = learner.filter((m) => re.test(m.content));
    const score = hits.length === 0 ? 0 : Math.min(5, 2 + hits.length);
    return {
      key: c.key,
      score,
      evidence: hits.slice(0, 2).flatMap((m) => {
        const quote = sentenceWith(m.content, re);
        return quote ? [{ quote }] : [];
      }),
      comment: hits.length === 0
        ? `Not seen in the conversation. ${ADVICE[c.key]}`
        : `Seen in ${hits.length} of your messages.`,
    };
  });
  const strong = criteria.filter((c) => c.score >= 4).map((c) => CRITERIA.find((x) => x.key === c.key)!.name);
  const weak = criteria.filter((c) => c.score <= 2).map((c) => ADVICE[c.key]);
  return {
    summary: learner.length === 0
      ? 'Offline rule-based report (no AI provider is configured): the learner did not speak, so nothing could be assessed.'
      : `Offline rule-based report (no AI provider is configured): scored from cue phrases in your ${learner.length} messages. ` +
        `Configure an AI provider for a qualitative assessment.`,
    criteria,
    strengths: strong.slice(0, 5).map((n) => `${n}: done well.`),
    improvements: weak.slice(0, 5),
  };
}
