// The analytics page's rules: which exam to show, and the recommended next steps, each one a
// quiz the learner can start with one tap. The numbers themselves come from the analytics SQL
// functions (get_domain_performance, get_weak_areas; thresholds live there: 10 answers before a
// domain is judged, weak below 70%, high priority below 50%).

export interface DomainPerf {
  domain_code: string;
  domain_name: string;
  weight: number;
  answered: number;
  accuracy: number | null;
}

export interface WeakArea extends DomainPerf {
  priority: string;
}

export interface NextStep {
  kind: 'weak' | 'untested' | 'keep_going';
  title: string;
  reason: string;
  /** What the start button sends: a domain to practise, or none for mixed practice. */
  domain: string | null;
  count: number;
}

/** Questions in a recommended quiz: short enough to do now. */
export const STEP_COUNT = 10;
/** Answers before a domain is judged (get_weak_areas says the same). */
export const JUDGED_AFTER = 10;

/** The exam to show: the one asked for if it exists, else the last one practised, else the first. */
export function chooseExam(requested: string | null, exams: { id: string }[], stats: { exam_id: string; last_submitted_at: string | null }[]): string | null {
  if (requested && exams.some((e) => e.id === requested)) return requested;
  const last = [...stats]
    .filter((s) => s.last_submitted_at && exams.some((e) => e.id === s.exam_id))
    .sort((a, b) => Date.parse(b.last_submitted_at!) - Date.parse(a.last_submitted_at!))[0];
  return last?.exam_id ?? exams[0]?.id ?? null;
}

/**
 * Up to three next steps, the most useful first: weak domains (worst first, as get_weak_areas
 * orders them); then domains with too few answers to judge, heaviest in the exam first; and when
 * every domain is judged and none is weak, a mixed quiz to keep it that way.
 */
export function nextSteps(weak: WeakArea[], perf: DomainPerf[], max = 3): NextStep[] {
  const steps: NextStep[] = weak.map((w) => ({
    kind: 'weak',
    title: `Practise ${w.domain_code} ${w.domain_name}`,
    reason: `${w.accuracy ?? 0}% over ${w.answered} answers${w.priority === 'high' ? ': your weakest area' : ': below 70%'}`,
    domain: w.domain_code,
    count: STEP_COUNT,
  }));
  const untested = perf
    .filter((p) => p.answered < JUDGED_AFTER)
    .sort((a, b) => b.weight - a.weight || a.domain_code.localeCompare(b.domain_code))
    .map<NextStep>((p) => ({
      kind: 'untested',
      title: `Start on ${p.domain_code} ${p.domain_name}`,
      reason: `${p.weight}% of the exam, ${p.answered === 0 ? 'not practised yet' : `only ${p.answered} answered so far`}`,
      domain: p.domain_code,
      count: STEP_COUNT,
    }));
  const out = [...steps, ...untested].slice(0, max);
  if (out.length === 0 && perf.length > 0) {
    out.push({ kind: 'keep_going', title: 'Keep it up with a mixed quiz', reason: 'Every domain is at 70% or more', domain: null, count: STEP_COUNT });
  }
  return out;
}
