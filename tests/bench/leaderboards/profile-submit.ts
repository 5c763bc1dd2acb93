// Where submit_quiz's time goes, run by hand against a running instance with a generated
// population (run `npm run bench -- leaderboards` once first):
//   STACK_DB_PORT=<db> BENCH_SIZES=10000 BENCH_PROFILE_SUBMITS=60 node --import tsx tests/bench/leaderboards/profile-submit.ts
// One session as supabase_admin submits BENCH_PROFILE_SUBMITS 30-question quizzes of distinct
// learners with pg_stat_statements.track = all and plpgsql_check's profiler on, then prints the
// statements (nested ones included) by total time per submission, and the profiled lines of the
// submission's PL/pgSQL functions. Times are wall time inside the server, on a shared machine.
// It enables plpgsql_check (schema extensions) on the instance it profiles: a local bench instance.
import pg from 'pg';

const port = process.env.STACK_DB_PORT ?? '54322';
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? `postgresql://supabase_admin:postgres@127.0.0.1:${port}/postgres`;
const SIZE = Number((process.env.BENCH_SIZES ?? '10000').split(',')[0]);
const N = Number(process.env.BENCH_PROFILE_SUBMITS ?? 60);
const FIRST = Number(process.env.BENCH_PROFILE_FIRST ?? Math.floor(Date.now() / 1000) % 100_000); // fresh learners each run
const EXAMS = ['security', 'network', 'a1101', 'a1102'] as const;
const FUNCTIONS = (process.env.BENCH_PROFILE_FUNCTIONS ??
  'public.submit_quiz(uuid,jsonb),private.finalize_attempt_with_answers(uuid,boolean,bigint[],text[],integer[]),private.finalize_attempt(uuid,boolean)')
  .split(/,(?=[a-z]+\.)/);

async function asLearner<T extends pg.QueryResultRow>(c: pg.Client, uid: string, sql: string, params: unknown[]) {
  await c.query('begin');
  await c.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated', is_anonymous: false })]);
  const r = await c.query<T>(sql, params);
  await c.query('commit');
  return r.rows;
}

async function main(): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL, application_name: 'bench-profile' });
  await c.connect();
  try {
    await c.query('create extension if not exists plpgsql_check with schema extensions');
    const prepared: { uid: string; attempt: string; answers: unknown[] }[] = [];
    for (let k = 0; k < N; k++) {
      const i = 1 + ((FIRST + k) * 7919) % SIZE;
      const uid = (await c.query<{ id: string }>(`select md5('bench-learner-' || $1::text)::uuid::text as id`, [i])).rows[0]!.id;
      const [row] = await asLearner<{ quiz: { attempt_id: string; questions: { question_id: number }[] } }>(
        c, uid, 'select public.start_quiz($1, 30) as quiz', [EXAMS[k % EXAMS.length]]);
      prepared.push({ uid, attempt: row!.quiz.attempt_id, answers: row!.quiz.questions.map((q) => ({
        question_id: q.question_id, answer: 'ABCD'[Math.floor(Math.random() * 4)]!, time_spent_seconds: 20 + Math.floor(Math.random() * 60) })) });
    }
    await c.query(`set pg_stat_statements.track = 'all'; set pg_stat_statements.track_utility = off`);
    await c.query(`load 'plpgsql_check'; set plpgsql_check.profiler = on`);
    for (const f of FUNCTIONS) await c.query('select plpgsql_profiler_reset($1::regprocedure)', [f]).catch(() => undefined);
    await c.query('select pg_stat_statements_reset()');
    for (const p of prepared) {
      await asLearner(c, p.uid, 'select public.submit_quiz($1, $2::jsonb) as result', [p.attempt, JSON.stringify(p.answers)]);
    }
    const top = await c.query<{ ms: string; calls: string; rows: string; query: string }>(`
      select round(total_exec_time::numeric / $1::numeric, 3)::text as ms, round(calls::numeric / $1::numeric, 1)::text as calls,
             round(rows::numeric / $1::numeric, 1)::text as rows, regexp_replace(left(query, 140), '\\s+', ' ', 'g') as query
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        and query not like '%pg_stat_statements%' and query not like '%plpgsql_profiler%'
      order by total_exec_time desc limit 40`, [N]);
    console.log(`\nper submission (${N} submissions), ms of total_exec_time (nested statements included in their callers too)`);
    for (const r of top.rows) console.log(`${r.ms.padStart(8)} ms ${r.calls.padStart(6)} calls ${r.rows.padStart(6)} rows  ${r.query}`);
    for (const f of FUNCTIONS) {
      const lines = await c.query<{ lineno: number; exec_stmts: string; total_time: string; source: string }>(`
        select lineno, exec_stmts::text, round(total_time::numeric / $2::numeric, 3)::text as total_time, left(btrim(source), 100) as source
        from plpgsql_profiler_function_tb($1::regprocedure) where total_time > 0 order by total_time desc limit 15`, [f, N]).catch(() => null);
      if (!lines || lines.rows.length === 0) continue;
      console.log(`\n${f}: lines by ms per submission`);
      for (const r of lines.rows) console.log(`${r.total_time.padStart(8)} ms  line ${String(r.lineno).padStart(4)}  ${r.source}`);
    }
  } finally {
    await c.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
