// Explaining a question after the learner answered it. The key is read with the caller's client:
// RLS lets a learner read it only once their answer is graded (a submitted quiz), so nothing here
// can leak a key early; a question still open in one of their quizzes is refused as well.
import { z } from 'zod';
import { type AiConfig, describeAi, OFFLINE_NOTICE } from '../_shared/ai/config.ts';
import type { ChatMessage, ChatProvider } from '../_shared/ai/provider.ts';
import type { Db } from '../_shared/caller.ts';
import { dbError, HttpError } from '../_shared/http.ts';

export const explainSchema = z.strictObject({ question_id: z.number().int().positive() });

const LETTERS = ['A', 'B', 'C', 'D'] as const;
type Letter = (typeof LETTERS)[number];
const optionSet = z.object({ A: z.string(), B: z.string(), C: z.string(), D: z.string() });

export interface ExplainInput {
  stem: string;
  options: Record<Letter, string>;
  correct: Letter;
  explanations: Record<Letter, string>;
  answer: Letter | null;
}

export function offlineExplanation(q: ExplainInput): string {
  const parts: string[] = [];
  if (q.answer === null) parts.push(`You have not answered this question in a graded quiz.`);
  else if (q.answer === q.correct) parts.push(`You answered ${q.answer}: correct.`);
  else parts.push(`You answered ${q.answer}: not correct.`);
  parts.push(`The correct answer is ${q.correct} (${q.options[q.correct]}): ${q.explanations[q.correct]}`);
  if (q.answer && q.answer !== q.correct) parts.push(`Why ${q.answer} is wrong: ${q.explanations[q.answer]}`);
  for (const l of LETTERS) if (l !== q.correct && l !== q.answer) parts.push(`${l}: ${q.explanations[l]}`);
  parts.push(`(${OFFLINE_NOTICE} This explanation is the question's own answer key.)`);
  return parts.join('\n');
}

export function explainMessages(q: ExplainInput): ChatMessage[] {
  const opts = LETTERS.map((l) => `${l}. ${q.options[l]} -- key note: ${q.explanations[l]}`).join('\n');
  return [
    {
      role: 'system',
      content:
        'You are a patient tutor for certification exams. Explain in under 180 words why the correct answer is right and, if the learner chose another option, why their choice is wrong. Use the key notes; do not contradict them.',
    },
    {
      role: 'user',
      content: `Question: ${q.stem}\n${opts}\nCorrect answer: ${q.correct}\nLearner's answer: ${
        q.answer ?? '(not answered)'
      }`,
    },
  ];
}

export async function explain(db: Db, userId: string, ai: AiConfig, provider: ChatProvider | null, questionId: number) {
  const question = await db.from('questions').select('id, stem, options').eq('id', questionId).maybeSingle();
  if (question.error) throw dbError('read the question', question.error);
  if (!question.data) {
    throw new HttpError(404, `Cannot explain question ${questionId}: it does not exist or you cannot see it`);
  }

  const open = await db
    .from('quiz_attempt_items')
    .select('attempt_id, quiz_attempts!inner(status)')
    .eq('question_id', questionId)
    .eq('user_id', userId)
    .is('graded_at', null)
    .eq('quiz_attempts.status', 'in_progress')
    .limit(1);
  if (open.error) throw dbError('check your open quizzes', open.error);
  if (open.data.length > 0) {
    throw new HttpError(409, `Cannot explain question ${questionId} yet: it is part of a quiz you have not submitted`);
  }

  const key = await db.from('question_keys').select('correct_answer, explanations').eq('question_id', questionId)
    .maybeSingle();
  if (key.error) throw dbError('read the answer key', key.error);
  if (!key.data) {
    throw new HttpError(
      403,
      `Cannot explain question ${questionId} yet: explanations open once your answer is graded (submit the quiz first)`,
    );
  }
  const answered = await db
    .from('quiz_attempt_items')
    .select('selected_answer, is_correct, graded_at')
    .eq('question_id', questionId)
    .eq('user_id', userId)
    .not('graded_at', 'is', null)
    .order('graded_at', { ascending: false })
    .limit(1)
    .maybeSingle();
  if (answered.error) throw dbError('read your answer', answered.error);

  const input: ExplainInput = {
    stem: question.data.stem,
    options: optionSet.parse(question.data.options),
    correct: z.enum(LETTERS).parse(key.data.correct_answer),
    explanations: optionSet.parse(key.data.explanations),
    answer: answered.data?.selected_answer ? z.enum(LETTERS).parse(answered.data.selected_answer) : null,
  };
  const explanation = provider
    ? await provider.complete({ messages: explainMessages(input), temperature: 0.2, maxTokens: 400 })
    : offlineExplanation(input);
  return {
    question_id: questionId,
    correct_answer: input.correct,
    your_answer: input.answer,
    is_correct: input.answer === null ? null : input.answer === input.correct,
    explanation,
    ai: describeAi(ai),
  };
}
