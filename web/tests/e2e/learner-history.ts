// A learner's past, made fast: quizzes taken on earlier days through the real start_quiz and
// submit_quiz (scoring, XP, streaks, achievements, review cards all run), as that learner, with
// the database clock (private.clock, settable by the database owner only) moved to each day.
// Used by the e2e tests (a history long enough to page) and by the web benchmark (a year).
// One DO block per call: a year is a few hundred quizzes in one round trip.
import pg from 'pg';

export interface HistoryPlan {
  userId: string;
  exam: string;
  /** Days back from yesterday to start at (365: a year). */
  days: number;
  /** Questions per quiz. */
  size: number;
  /** Quizzes on an active day: 1 + (day % maxPerDay). */
  maxPerDay: number;
  /** Of every 10 days, how many are active (the rest are rest days): 10 = every day. */
  activePerTen: number;
  /** Right answers per quiz, as a share from `from` (the oldest day) to `to` (yesterday). */
  accuracy: { from: number; to: number };
  /** Domains to draw from (null: all of the exam's). */
  domains?: string[] | null;
}

const BLOCK = `
do $history$
declare
  v_user uuid := current_setting('fixture.user')::uuid;
  v_exam text := current_setting('fixture.exam');
  v_days integer := current_setting('fixture.days')::integer;
  v_size integer := current_setting('fixture.size')::integer;
  v_max integer := current_setting('fixture.max_per_day')::integer;
  v_active integer := current_setting('fixture.active_per_ten')::integer;
  v_from numeric := current_setting('fixture.accuracy_from')::numeric;
  v_to numeric := current_setting('fixture.accuracy_to')::numeric;
  v_domains text[] := nullif(current_setting('fixture.domains'), '')::text[];
  v_claims text := json_build_object('sub', v_user, 'role', 'authenticated', 'aud', 'authenticated', 'app_metadata', '{}'::json)::text;
  v_midnight timestamptz := date_trunc('day', now());
  v_day integer;
  v_quiz integer;
  v_attempt uuid;
  v_correct integer;
  v_sheet jsonb;
begin
  for v_day in reverse v_days .. 1 loop
    continue when (v_day * 7) % 10 >= v_active;
    for v_quiz in 1 .. 1 + (v_day % v_max) loop
      -- Each quiz at its own minute of the afternoon: its own rate-limit window, as in real life.
      perform set_config('ascend.clock', (v_midnight - make_interval(days => v_day) + make_interval(hours => 13, mins => 9 * v_quiz))::text, true);
      perform set_config('request.jwt.claims', v_claims, true);
      perform set_config('role', 'authenticated', true);
      v_attempt := (public.start_quiz(v_exam, v_size, v_domains) ->> 'attempt_id')::uuid;
      perform set_config('role', 'postgres', true);
      v_correct := round(v_size * (v_to - (v_to - v_from) * v_day::numeric / v_days))::integer;
      select jsonb_agg(jsonb_build_object(
               'question_id', i.question_id,
               'answer', case when i.position <= v_correct then k.correct_answer
                              else (array['B', 'C', 'D', 'A'])[ascii(k.correct_answer) - 64] end,
               'time_spent_seconds', 25 + (i.position * 7) % 40) order by i.position)
        into v_sheet
      from public.quiz_attempt_items i join public.question_keys k on k.question_id = i.question_id
      where i.attempt_id = v_attempt;
      perform set_config('role', 'authenticated', true);
      perform public.submit_quiz(v_attempt, v_sheet);
      perform set_config('role', 'postgres', true);
    end loop;
  end loop;
end
$history$`;

/** Takes the planned quizzes as the learner; returns how many were taken. */
export async function seedHistory(dbUrl: string, plan: HistoryPlan): Promise<number> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    await db.query('begin');
    const settings: Record<string, string> = {
      'fixture.user': plan.userId,
      'fixture.exam': plan.exam,
      'fixture.days': String(plan.days),
      'fixture.size': String(plan.size),
      'fixture.max_per_day': String(plan.maxPerDay),
      'fixture.active_per_ten': String(plan.activePerTen),
      'fixture.accuracy_from': String(plan.accuracy.from),
      'fixture.accuracy_to': String(plan.accuracy.to),
      'fixture.domains': plan.domains?.length ? `{${plan.domains.join(',')}}` : '',
    };
    for (const [k, v] of Object.entries(settings)) await db.query('select set_config($1, $2, true)', [k, v]);
    const before = await db.query<{ n: string }>(`select count(*) as n from public.quiz_attempts where user_id = $1 and status = 'submitted'`, [plan.userId]);
    await db.query(BLOCK);
    const after = await db.query<{ n: string }>(`select count(*) as n from public.quiz_attempts where user_id = $1 and status = 'submitted'`, [plan.userId]);
    await db.query('commit');
    return Number(after.rows[0]!.n) - Number(before.rows[0]!.n);
  } catch (e) {
    await db.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await db.end();
  }
}
