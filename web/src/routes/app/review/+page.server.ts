import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { attemptReview, orderedOptions } from '$lib/quiz.ts';
import { nextReview, splitQueue } from './review.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const supabase = locals.supabase;
  const [queue, exams] = await Promise.all([
    supabase.rpc('get_review_queue', { p_limit: 40 }),
    supabase.from('exams').select('id, name, exam_domains(code, name)'),
  ]);
  if (queue.error) return { loadError: true as const };
  const { due, weak, next } = splitQueue(queue.data);
  const examName = (id: string) => exams.data?.find((e) => e.id === id)?.name ?? id;
  const domainName = (exam: string, code: string) => exams.data?.find((e) => e.id === exam)?.exam_domains.find((d) => d.code === code)?.name ?? code;

  let card = null;
  if (next) {
    const [question, lastItem] = await Promise.all([
      supabase.from('questions').select('id, stem, options').eq('id', next.question_id).maybeSingle(),
      supabase
        .from('quiz_attempt_items')
        .select('attempt_id, selected_answer')
        .eq('question_id', next.question_id)
        .not('graded_at', 'is', null)
        .order('graded_at', { ascending: false })
        .limit(1)
        .maybeSingle(),
    ]);
    // The key and explanation come from the learner's own graded attempt (never before answering).
    let answer: { correct: string | null; mine: string | null; explanation: string | null } | null = null;
    if (lastItem.data) {
      const review = attemptReview.safeParse((await supabase.rpc('get_attempt_review', { p_attempt: lastItem.data.attempt_id })).data);
      const q = review.success ? review.data.questions.find((x) => x.question_id === next.question_id) : undefined;
      if (q) answer = { correct: q.correct_answer, mine: q.selected_answer, explanation: q.correct_answer ? (q.explanations?.[q.correct_answer] ?? null) : null };
    }
    if (question.data) {
      card = {
        question_id: next.question_id,
        kind: next.kind,
        exam: examName(next.exam_id),
        domain: `${next.domain_code} ${domainName(next.exam_id, next.domain_code)}`,
        stem: question.data.stem,
        options: orderedOptions(question.data.options as Record<string, string>),
        answer,
      };
    }
  }
  return {
    loadError: false as const,
    dueCount: due.length,
    card,
    weak: weak.map((w) => ({ ...w, exam_name: examName(w.exam_id), domain_name: domainName(w.exam_id, w.domain_code) })),
  };
};

export const actions: Actions = {
  grade: async ({ locals, request }) => {
    const parsed = z
      .object({ question_id: z.coerce.number().int().positive(), grade: z.coerce.number().int().min(0).max(5) })
      .safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(400, { message: 'Choose how well you remembered it (0 to 5).' });
    const { data, error } = await locals.supabase.rpc('review_card', { p_question: parsed.data.question_id, p_grade: parsed.data.grade });
    if (error) return fail(error.code === 'PT404' ? 404 : 503, { message: error.code === 'PT404' ? 'That card is no longer in your queue.' : 'Your review could not be saved. Try again in a moment.' });
    return { reviewed: `Saved. This card comes back ${nextReview(data.due_at)}.` };
  },
};
