// `npm start`'s demo content, made against the test instance the way `up` makes it on the dev
// one: accounts that sign in, an organisation they joined by accepting invitations, and graded
// quizzes behind their XP; a second run changes nothing.
import assert from 'node:assert/strict';
import { afterAll as after, test } from 'vitest';
import pg from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureDemoContent } from '../../stack/src/instance/demo.ts';
import { testClient } from '../support/client.ts';
import { env } from '../support/env.ts';

const db = new pg.Client({ connectionString: env.DB_URL });
after(() => db.end());
const keys = { apiUrl: env.SUPABASE_URL, anonKey: env.ANON_KEY, serviceRoleKey: env.SERVICE_ROLE_KEY };

test('demo accounts sign in, belong to the demo organisation and have graded quizzes; a second run is a no-op', async () => {
  assert.equal(await ensureDemoContent(keys), true);
  await db.connect();
  const { rows } = await db.query<{ email: string; xp: number; quizzes: number; role: string | null }>(
    `select u.email, p.xp, (select count(*)::int from public.quiz_attempts a where a.user_id = p.id and a.status = 'submitted') as quizzes,
            (select m.role::text from public.organization_members m join public.organizations o on o.id = m.organization_id
             where m.user_id = p.id and o.slug = 'demo-academy') as role
     from auth.users u join public.profiles p on p.id = u.id where u.email like '%@demo.ascend.test' order by u.email`,
  );
  assert.deepEqual(rows.map((r) => [r.email, r.quizzes, r.role]), [
    ['ada@demo.ascend.test', 2, 'learner'],
    ['alan@demo.ascend.test', 1, 'learner'],
    ['grace@demo.ascend.test', 0, 'owner'],
  ]);
  assert.ok(rows[0]!.xp > rows[1]!.xp && rows[1]!.xp > 0, 'XP follows the answers: Ada 8 and 9 right, Alan 6');
  const signIn = await testClient(env.ANON_KEY).auth.signInWithPassword({ email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD });
  assert.equal(signIn.error, null);
  assert.equal(await ensureDemoContent(keys), false);
});
