// The dashboard's one-tap "Continue": the best next thing for this learner.
// 1. a quiz in progress: resume it; 2. otherwise practise the exam they worked on last, aiming
// at weak areas once there is enough data; 3. a new learner picks an exam (one tap each).

export interface ExamStat {
  exam_id: string;
  exam_name: string;
  questions_answered: number;
  last_submitted_at: string | null;
}

export interface ActiveSummary {
  attempt_id: string;
  exam_id: string;
  answered_count: number;
  question_count: number;
}

export type NextStep =
  | { kind: 'resume'; attemptId: string; examId: string; answered: number; count: number }
  | { kind: 'practice'; examId: string; examName: string; mode: 'practice' | 'weak_areas'; count: number }
  | { kind: 'choose' };

/** Answers in an exam before its weak areas say anything (start_quiz counts 10 per domain). */
export const WEAK_AREAS_AFTER = 30;
export const QUICK_COUNT = 10;

export function nextStep(active: ActiveSummary | null, stats: ExamStat[]): NextStep {
  if (active) {
    return { kind: 'resume', attemptId: active.attempt_id, examId: active.exam_id, answered: active.answered_count, count: active.question_count };
  }
  const recent = [...stats]
    .filter((s) => s.last_submitted_at)
    .sort((a, b) => Date.parse(b.last_submitted_at!) - Date.parse(a.last_submitted_at!))[0];
  if (!recent) return { kind: 'choose' };
  return {
    kind: 'practice',
    examId: recent.exam_id,
    examName: recent.exam_name,
    mode: recent.questions_answered >= WEAK_AREAS_AFTER ? 'weak_areas' : 'practice',
    count: QUICK_COUNT,
  };
}
