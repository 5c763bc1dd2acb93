// Drafting practice questions from a lesson. Whatever the model (or the offline generator)
// proposes is validated with zod and saved through save_question() as the caller, with status
// forced to 'draft': a human reviews and publishes it; nothing is ever published from here.
import { z } from 'zod';
import { type AiConfig, describeAi, OFFLINE_NOTICE } from '../_shared/ai/config.ts';
import type { ChatMessage, ChatProvider } from '../_shared/ai/provider.ts';
import type { Db } from '../_shared/caller.ts';
import { dbError, HttpError } from '../_shared/http.ts';

export const draftRequestSchema = z.strictObject({
  exam_id: z.string().min(1).max(50),
  domain_code: z.string().min(1).max(20),
  lesson_text: z.string().trim().min(80, 'give at least 80 characters of lesson text').max(20_000),
  count: z.number().int().min(1).max(10).default(3),
  organization_id: z.uuid().nullish(),
});
export type DraftRequest = z.infer<typeof draftRequestSchema>;

const option = z.string().trim().min(1).max(500);
const options = z.strictObject({ A: option, B: option, C: option, D: option });

export const draftSchema = z.strictObject({
  stem: z.string().trim().min(10).max(4000),
  options,
  correct_answer: z.enum(['A', 'B', 'C', 'D']),
  explanations: z.strictObject({ A: option, B: option, C: option, D: option }),
});
export type Draft = z.infer<typeof draftSchema>;

export const draftsSchema = z.strictObject({ questions: z.array(draftSchema).min(1).max(10) });

export function draftMessages(req: DraftRequest): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `You write multiple-choice practice questions (exactly four options A-D, one correct) strictly from the lesson given. ` +
        `For each option write a one-sentence explanation of why it is right or wrong. Answer with JSON only: {"questions": [...]} with ${req.count} questions.`,
    },
    { role: 'user', content: `Exam ${req.exam_id}, domain ${req.domain_code}. Lesson:\n${req.lesson_text}` },
  ];
}

const LETTERS = ['A', 'B', 'C', 'D'] as const;

/**
 * The offline generator: fill-in-the-blank questions from the lesson's own sentences. The blank
 * is the sentence's longest word; the distractors are other long words of the lesson.
 */
export function offlineDrafts(req: DraftRequest): Draft[] {
  const sentences = req.lesson_text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) =>
    s.split(/\s+/).length >= 6
  );
  const vocabulary = [...new Set(req.lesson_text.match(/\b[A-Za-z][A-Za-z-]{5,}\b/g) ?? [])];
  const drafts: Draft[] = [];
  for (const [i, sentence] of sentences.entries()) {
    if (drafts.length >= req.count) break;
    const words = sentence.match(/\b[A-Za-z][A-Za-z-]{5,}\b/g) ?? [];
    const answer = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
    if (!answer) continue;
    const distractors = vocabulary.filter((w) => w.toLowerCase() !== answer.toLowerCase() && !sentence.includes(w));
    const fallback = ['None of these', 'All of these', 'Not stated in the lesson'];
    const others = [...distractors, ...fallback].slice(0, 3);
    const correct = LETTERS[(drafts.length + i) % 4]!;
    const texts: string[] = [];
    let o = 0;
    for (const l of LETTERS) texts.push(l === correct ? answer : others[o++]!);
    const stem = `Fill in the blank (from the lesson): "${sentence.replace(answer, '_____')}"`;
    const opts = Object.fromEntries(LETTERS.map((l, k) => [l, texts[k]!])) as Draft['options'];
    const explanations = Object.fromEntries(
      LETTERS.map((
        l,
        k,
      ) => [
        l,
        l === correct
          ? `Correct: the lesson says "${sentence}"`
          : `"${texts[k]}" does not complete this sentence of the lesson.`,
      ]),
    ) as Draft['explanations'];
    drafts.push(draftSchema.parse({ stem, options: opts, correct_answer: correct, explanations }));
  }
  return drafts;
}

export async function draftQuestions(db: Db, ai: AiConfig, provider: ChatProvider | null, req: DraftRequest) {
  const proposals = provider
    ? (await provider.json({ messages: draftMessages(req), temperature: 0.4 }, draftsSchema, 'practice_questions'))
      .questions.slice(0, req.count)
    : offlineDrafts(req);
  if (proposals.length === 0) {
    throw new HttpError(422, 'Cannot draft questions: the lesson has no sentence long enough to ask about');
  }
  const saved = [];
  for (const p of proposals) {
    const { data, error } = await db.rpc('save_question', {
      p_question: {
        exam_id: req.exam_id,
        domain_code: req.domain_code,
        organization_id: req.organization_id ?? null,
        stem: p.stem,
        options: p.options,
        correct_answer: p.correct_answer,
        explanations: p.explanations,
        status: 'draft',
      },
    });
    if (error) {
      const e = dbError('save a drafted question', error);
      const message = e.status === 403
        ? 'Cannot save drafted questions: only instructors, admins and owners of the organisation (or platform admins for the global bank) author questions'
        : e.message;
      throw new HttpError(e.status, message, { ...e.extra, saved: saved.map((q) => q.id) });
    }
    if (data.status !== 'draft') throw new HttpError(500, `Question ${data.id} was saved as ${data.status}, not draft`);
    saved.push({
      id: data.id,
      status: data.status,
      version: data.version,
      stem: data.stem,
      options: data.options,
      organization_id: data.organization_id,
    });
  }
  return {
    questions: saved,
    ai: describeAi(ai),
    notice: provider
      ? null
      : `${OFFLINE_NOTICE} These drafts are fill-in-the-blank questions made from the lesson's sentences.`,
  };
}
