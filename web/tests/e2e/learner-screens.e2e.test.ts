// The learner's reading screens, as a learner uses them: quiz history with filters and pages,
// analytics charts with a recommended next step that starts the right practice, study sets built
// from bookmarks, and an organisation's lessons read and marked done. Then a second learner tries
// the first one's addresses (results, quiz, study set, lesson) and sees a not-found page, never
// her data. axe on every page; screenshots are artifacts.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { seedHistory } from './learner-history.ts';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
let ada: BrowserContext;
let bob: BrowserContext;
let page: Page;
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  ada: { email: `ada-screens-${stamp}@example.com`, name: 'Ada Learner', id: '' },
  bob: { email: `bob-screens-${stamp}@example.com`, name: 'Bob Stranger', id: '' },
  olga: { email: `olga-screens-${stamp}@example.com`, name: 'Olga Owner', id: '' },
  adam: { email: `adam-screens-${stamp}@example.com`, name: 'Adam Admin', id: '' },
};
// What the private-data test tries as Bob: Ada's addresses, gathered as the scenes are set.
const adas = { results: '', activeQuiz: '', set: '', lesson: '', setName: 'Ports to remember', note: 'SSH is 22, HTTPS is 443 — Ada only' };
const service = { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}`, 'content-type': 'application/json' };

async function api<T>(token: string | null, path: string, body?: unknown, method = 'POST'): Promise<T> {
  const auth = token ? { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' } : service;
  const res = await fetch(`${env.apiUrl}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Ada takes a quiz in her own session (the API, as the app would) with `correct` right answers. */
async function takeQuiz(token: string, exam: string, count: number, correct: number, domains?: string[]): Promise<string> {
  const quiz = await api<{ attempt_id: string; questions: { question_id: number }[] }>(token, '/rest/v1/rpc/start_quiz', { p_exam: exam, p_count: count, p_domains: domains });
  const ids = quiz.questions.map((q) => q.question_id);
  const keys = await api<{ id: number; question_keys: { correct_answer: string } | { correct_answer: string }[] }[]>(null, `/rest/v1/questions?select=id,question_keys(correct_answer)&id=in.(${ids.join(',')})`, undefined, 'GET');
  const key = new Map(keys.map((r) => [r.id, (Array.isArray(r.question_keys) ? r.question_keys[0] : r.question_keys)?.correct_answer]));
  const answers = ids.map((id, i) => ({ question_id: id, answer: i < correct ? key.get(id) : ['A', 'B', 'C', 'D'].find((l) => l !== key.get(id)) }));
  await api(token, '/rest/v1/rpc/submit_quiz', { p_attempt: quiz.attempt_id, p_answers: answers });
  return quiz.attempt_id;
}

async function signIn(ctx: BrowserContext, email: string): Promise<Page> {
  return signInPage(ctx, email, password);
}

async function noSidewaysScroll(p: Page, where: string) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where}: no sideways scrolling on a phone (overflow ${overflow}px)`);
}

describe('the learner screens: history, analytics, study sets, lessons, and privacy', { sequential: true }, () => {
  before(async () => {
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    const make = (p: { email: string; name: string }) => createConfirmedUser(p.email, password, p.name);
    [browser, people.ada.id, people.bob.id, people.olga.id, people.adam.id] = await Promise.all([launchBrowser(), make(people.ada), make(people.bob), make(people.olga), make(people.adam)]);
    // Ada's record in Security+: one one-question quiz of 2.0 on each of the last 19 days, all
    // right (taken on those days: submit_quiz allows 10 a minute); today 4.0 twice at 2 of 8 (a
    // weak area) and 2.0 once at 10 of 10. 22 quizzes, the 2 of today's 4.0 failed.
    const days = await seedHistory(process.env.DB_URL ?? '', { userId: people.ada.id, exam: 'security', days: 19, size: 1, maxPerDay: 1, activePerTen: 10, accuracy: { from: 1, to: 1 }, domains: ['2.0'] });
    assert.equal(days, 19);
    const token = await accessTokenFor(people.ada.email, password);
    await takeQuiz(token, 'security', 8, 2, ['4.0']);
    await takeQuiz(token, 'security', 8, 2, ['4.0']);
    adas.results = await takeQuiz(token, 'security', 10, 10, ['2.0']);
    ada = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    bob = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    ada.setDefaultTimeout(10_000);
    bob.setDefaultTimeout(10_000);
    page = await signIn(ada, people.ada.email);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lists every finished quiz in pages of 20, newest first, each opening its results', async () => {
    await page.getByRole('button', { name: 'More pages' }).click();
    await page.getByRole('menuitem', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'Quiz history', level: 1 }).waitFor();
    await page.getByText('Showing 1–20 of 22 quizzes').waitFor();
    const list = page.getByRole('list', { name: 'Finished quizzes' });
    assert.equal(await list.getByRole('listitem').count(), 20);
    await noSeriousAxe(page, 'the history page');
    await screenshot(page, '40-history');
    await page.getByRole('link', { name: 'Older' }).click();
    await page.getByText('Showing 21–22 of 22 quizzes').waitFor();
    await page.getByText('Page 2 of 2').waitFor();
    assert.equal(await list.getByRole('listitem').count(), 2);
    // The oldest two: one-question quizzes of 19 and 18 days ago, both right.
    assert.equal(await list.getByText('Passed', { exact: true }).count(), 2);
    await list.getByRole('link').first().click();
    await page.waitForURL(/\/app\/results\/[0-9a-f-]{36}$/);
    await page.getByText('100%').first().waitFor();
  });

  it('filters by result and dates, keeps the filters in the address, and says when nothing matches', async () => {
    await page.goto('/app/history');
    await page.getByLabel('Result').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/outcome=failed/);
    await page.getByText('Showing 1–2 of 2 quizzes').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Finished quizzes' }).getByText('Passed', { exact: true }).count(), 0);
    await page.getByLabel('Result').selectOption('passed');
    await page.getByLabel('Mode').selectOption('practice');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Showing 1–20 of 20 quizzes').waitFor();
    await page.getByLabel('From').fill('2031-01-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No quizzes match these filters').waitFor();
    assert.equal(await page.getByLabel('Result').inputValue(), 'passed', 'the filters stay as chosen');
    await noSeriousAxe(page, 'history with no match');
    await screenshot(page, '41-history-no-match');
    await page.getByRole('link', { name: 'Clear filters' }).first().click();
    await page.getByText('Showing 1–20 of 22 quizzes').waitFor();
  });

  it('shows analytics as charts with tables behind them, and a next step that starts the right practice', async () => {
    await page.goto('/app/analytics');
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    const domains = page.getByRole('table', { name: /Accuracy per domain in CompTIA Security\+/ });
    await domains.getByRole('row', { name: /4\.0 Security Operations 16 answers 25%/ }).waitFor();
    await domains.getByRole('row', { name: /2\.0 Threats, Vulnerabilities, and Mitigations 29 answers 100%/ }).waitFor();
    await page.getByRole('img', { name: /Weekly accuracy: from \d+(\.\d)?% .* over [2-4] weeks with quizzes/ }).waitFor();
    await page.getByRole('img', { name: /Daily activity: 22 quizzes on 20 days of the last 365; longest run 20 days/ }).waitFor();
    await page.getByText('Show as a table').last().click();
    const months = page.getByRole('table', { name: 'Quizzes per month' });
    await months.waitFor();
    const perMonth = await months.locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(perMonth.length >= 12 && perMonth.length <= 13, `a row for each month the year touches (${perMonth.length})`);
    assert.equal(perMonth.reduce((n, t) => n + Number(t), 0), 22, 'the months add up to the 22 quizzes');
    await noSeriousAxe(page, 'the analytics page');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '42-analytics', { fullPage: true });

    const steps = page.getByRole('region', { name: 'Recommended next' });
    await steps.getByText('Practise 4.0 Security Operations').waitFor();
    await steps.getByText('25% over 16 answers: your weakest area').waitFor();
    await page.getByRole('button', { name: 'Practise 4.0 Security Operations: start 10 questions' }).click();
    await page.waitForURL(/\/app\/quiz\/[0-9a-f-]{36}$/);
    adas.activeQuiz = new URL(page.url()).pathname;
    await page.getByText(/Question 1 of 10 · 4\.0 Security Operations/).waitFor();
  });

  it('groups bookmarked questions in a study set', async () => {
    const token = await accessTokenFor(people.ada.email, password);
    const [item] = await api<{ question_id: number }[]>(token, `/rest/v1/quiz_attempt_items?select=question_id&attempt_id=eq.${adas.results}&limit=1`, undefined, 'GET');
    await api(token, '/rest/v1/bookmarks', { question_id: item!.question_id });
    await api(token, '/rest/v1/question_notes', { question_id: item!.question_id, body: adas.note });

    await page.goto('/app/study/sets');
    await page.getByText('No study sets yet').waitFor();
    await noSeriousAxe(page, 'study sets (empty)');
    await page.getByLabel('Name').fill(adas.setName);
    await page.getByLabel("Share with the organisation's members").check();
    await page.getByRole('button', { name: 'Create set' }).click();
    await page.getByText('Choose an organisation to share the set with').waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), adas.setName, 'the input is kept');
    await page.getByLabel("Share with the organisation's members").uncheck();
    await page.getByRole('button', { name: 'Create set' }).click();
    await page.waitForURL(/\/app\/study\/sets\/[0-9a-f-]{36}$/);
    adas.set = new URL(page.url()).pathname;
    await page.getByText('This set is empty').waitFor();

    await page.goto('/app/study');
    await page.getByLabel('Study set for this question').selectOption({ label: adas.setName });
    await page.getByRole('button', { name: 'Add to a set' }).click();
    await page.getByText('Added to the set').waitFor();
    await page.goto(adas.set);
    const items = page.getByRole('list', { name: 'Questions in this set' });
    assert.equal(await items.getByRole('listitem').count(), 1);
    await page.getByText('1 question').first().waitFor();
    await noSeriousAxe(page, 'a study set');
    await screenshot(page, '43-study-set');
  });

  it('reads an assigned lesson of her organisation and marks it done', async () => {
    const [olga, adam, adaToken] = await Promise.all([people.olga, people.adam, people.ada].map((p) => accessTokenFor(p.email, password)));
    const org = await api<{ id: string }>(olga!, '/rest/v1/rpc/create_organization', { p_name: 'Harbour Academy', p_slug: `harbour-${stamp}` });
    for (const [token, who, role] of [[adaToken!, people.ada, 'learner'], [adam!, people.adam, 'admin']] as const) {
      const inv = await api<{ invitation_id: string }>(olga!, '/rest/v1/rpc/invite_to_organization', { p_organization: org.id, p_email: who.email, p_role: role });
      await api(token, '/rest/v1/rpc/accept_invitation', { p_invitation: inv.invitation_id });
    }
    // Olga writes it, Adam (another admin) approves and publishes it, Olga assigns it to Ada.
    const body = '# Ports that matter\nServices listen on well-known ports.\n\n## Learn these\n- 22 SSH\n- 443 HTTPS\n\nThen practise Security Operations.';
    const v = await api<{ lesson_id: string }>(olga!, '/rest/v1/rpc/create_lesson', { p_organization: org.id, p_title: 'Ports in ten minutes', p_body: body });
    await api(olga!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'in_review' });
    await api(adam!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'approved' });
    await api(adam!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'published' });
    // A second lesson stays a draft: learners never see it.
    await api(olga!, '/rest/v1/rpc/create_lesson', { p_organization: org.id, p_title: 'Draft: not yet', p_body: 'Work in progress' });
    await api(olga!, '/rest/v1/assignments', { organization_id: org.id, kind: 'lesson', lesson_id: v.lesson_id, title: 'Read: ports', assignee_user_id: people.ada.id, due_at: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    adas.lesson = `/app/lessons/${v.lesson_id}`;

    await page.getByRole('button', { name: 'More pages' }).click();
    await page.getByRole('menuitem', { name: 'Lessons' }).click();
    const list = page.getByRole('list', { name: 'Published lessons' });
    await list.getByText('Ports in ten minutes').waitFor();
    await list.getByText(/Assigned · due in 2 days/).waitFor();
    assert.equal(await page.getByText('Draft: not yet').count(), 0, 'drafts stay with the staff');
    await noSeriousAxe(page, 'the lessons list');
    await screenshot(page, '44-lessons');

    await list.getByRole('link', { name: /Ports in ten minutes/ }).click();
    await page.getByRole('heading', { name: 'Ports in ten minutes', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Ports that matter', level: 2 }).waitFor();
    await page.getByRole('listitem').filter({ hasText: '443 HTTPS' }).waitFor();
    await page.getByText('Assigned: Read: ports').waitFor();
    await noSeriousAxe(page, 'a lesson');
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await page.getByText('Lesson done').waitFor();
    await page.getByText('1 assignment completed.').waitFor();
    await screenshot(page, '45-lesson-done');
    await page.reload();
    await page.getByText('Lesson done').waitFor();
    await page.goto('/app/lessons');
    await page.getByRole('list', { name: 'Published lessons' }).getByText('Done', { exact: true }).waitFor();
  });

  it("another learner never sees Ada's private data, on any page or address", async () => {
    const p = await signIn(bob, people.bob.email);
    // Her own pages: empty, with nothing of Ada's.
    await p.goto('/app/history');
    await p.getByText('No quizzes yet').waitFor();
    await noSeriousAxe(p, 'the history page (empty)');
    await screenshot(p, '46-history-empty');
    await p.goto('/app/analytics');
    await p.getByText(/No answers in .* yet/).waitFor();
    await p.getByRole('img', { name: /Daily activity: 0 quizzes on 0 days/ }).waitFor();
    await noSeriousAxe(p, 'the analytics page (no data)');
    await screenshot(p, '47-analytics-empty');
    await p.goto('/app/study');
    await p.getByText('Nothing kept yet').waitFor();
    await p.goto('/app/study/sets');
    await p.getByText('No study sets yet').waitFor();
    await p.goto('/app/lessons');
    await p.getByText('No lessons yet').waitFor();
    for (const text of [adas.note, adas.setName, 'Ports in ten minutes']) {
      for (const path of ['/app/study', '/app/study/sets', '/app/lessons', '/app/history']) {
        await p.goto(path);
        assert.equal(await p.getByText(text).count(), 0, `${path} shows none of Ada's "${text}"`);
      }
    }
    // Ada's addresses: a not-found page each time, and none of her data on it.
    for (const [what, path] of [['results', `/app/results/${adas.results}`], ['quiz in progress', adas.activeQuiz], ['study set', adas.set], ['lesson', adas.lesson]] as const) {
      assert.ok(path, `the ${what} address was recorded`);
      const res = await p.goto(path);
      assert.equal(res?.status(), 404, `Ada's ${what} answers 404 to Bob`);
      await p.getByRole('heading', { name: 'We could not find that page' }).waitFor();
      const text = await p.locator('body').innerText();
      for (const secret of [adas.setName, adas.note, 'Ports in ten minutes', 'Security Operations', people.ada.name]) {
        assert.ok(!text.includes(secret), `Ada's ${what} page shows Bob nothing of hers ("${secret}")`);
      }
    }
    await noSeriousAxe(p, 'the not-found page');
    await screenshot(p, '48-not-found-for-bob');
    // Nor can he write to her set: the form action on her address refuses.
    const res = await p.request.post(`${adas.set}?/delete`, { headers: { origin: baseURL, accept: 'text/html' }, form: {}, maxRedirects: 0 });
    assert.equal(res.status(), 404, 'deleting her set is refused as not found');
    await page.goto(adas.set);
    await page.getByRole('heading', { name: adas.setName, level: 1 }).waitFor();
  });

  it('history and analytics work on a 360 px phone, in the dark', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/app/history');
    await page.getByText('Showing 1–20 of 22 quizzes').waitFor();
    await noSidewaysScroll(page, 'history');
    await screenshot(page, '49-history-phone-dark');
    await page.goto('/app/analytics');
    await page.getByRole('heading', { name: 'Domain performance' }).waitFor();
    await noSidewaysScroll(page, 'analytics');
    await noSeriousAxe(page, 'analytics on a phone, dark');
    await screenshot(page, '50-analytics-phone-dark', { fullPage: true });
  });
});
