import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { practiceSchema } from '$lib/schemas.ts';
import { startQuiz } from '$lib/server/quiz.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [exams, active] = await Promise.all([
    locals.supabase
      .from('exams')
      .select('id, code, name, description, seconds_per_question, exam_domains(code, name, weight, position)')
      .order('position')
      .order('position', { referencedTable: 'exam_domains' }),
    locals.supabase.rpc('get_active_quiz', {}),
  ]);
  if (exams.error) return { exams: [], loadError: true, selected: null, activeExam: null };
  const requested = url.searchParams.get('exam');
  const selected = exams.data.find((e) => e.id === requested)?.id ?? exams.data[0]?.id ?? null;
  const activeExam = active.data && typeof active.data === 'object' && 'exam_id' in active.data ? String(active.data.exam_id) : null;
  return { exams: exams.data, loadError: false, selected, activeExam };
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const form = formObject(await request.formData(), ['domains']);
    // Domain boxes are named `<exam>:<code>` so one form serves every exam without JavaScript:
    // only the chosen exam's count.
    const prefix = `${String(form.exam ?? '')}:`;
    form.domains = (form.domains as string[]).filter((d) => d.startsWith(prefix)).map((d) => d.slice(prefix.length));
    const parsed = practiceSchema.safeParse(form);
    const values = { exam: String(form.exam ?? ''), count: String(form.count ?? '10'), mode: String(form.mode ?? 'practice'), domains: form.domains as string[], timed: form.timed === 'on' };
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { exam, count, mode } = parsed.data;
    const domains = parsed.data.domains;
    let timeLimit: number | null = null;
    if (parsed.data.timed === 'on') {
      const { data } = await locals.supabase.from('exams').select('seconds_per_question').eq('id', exam).maybeSingle();
      timeLimit = Math.min(86400, Math.max(60, count * (data?.seconds_per_question ?? 90)));
    }
    const started = await startQuiz(locals.supabase, { exam, count, domains, mode, timeLimitSeconds: timeLimit });
    if ('problem' in started) {
      if (mode === 'review' && started.problem.status === 404) {
        const { data } = await locals.supabase.from('exams').select('name').eq('id', exam).maybeSingle();
        return fail(404, { values, errors: { mode: `Nothing to review yet: you have no wrong answers in ${data?.name ?? exam}. Take a mixed practice quiz first.` } });
      }
      const field = started.problem.message.toLowerCase().includes('review') ? 'mode' : started.problem.message.toLowerCase().includes('domain') ? 'domains' : '_form';
      return fail(started.problem.status, { values, errors: { [field]: started.problem.message + (started.problem.hint ? ` (${started.problem.hint})` : '') } });
    }
    redirect(303, `/app/quiz/${started.attemptId}`);
  },
};
