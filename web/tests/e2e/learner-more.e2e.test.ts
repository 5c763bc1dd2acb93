// More of the learner's app, as a learner uses it: the dashboard's streamed cards (readiness and
// achievements arrive after the first paint, behind skeletons), and reporting a question from the
// per-question review of a result (errors beside the fields, a thank-you toast, one open report
// per question; another learner cannot report a question she never met), practising a study set
// (another learner's private set is refused), and a lesson nobody assigned remembered as done.
// axe on every screen; screenshots are artifacts.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe } from './harness.ts';

let app: App | null = null;
let browser: Browser;
let ada: BrowserContext;
let page: Page;
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  ada: { email: `ada-more-${stamp}@example.com`, name: 'Ada More', id: '' },
  bob: { email: `bob-more-${stamp}@example.com`, name: 'Bob More', id: '' },
  olga: { email: `olga-more-${stamp}@example.com`, name: 'Olga Owner', id: '' },
  adam: { email: `adam-more-${stamp}@example.com`, name: 'Adam Admin', id: '' },
};
let results = '';
let reportedQuestion = 0;
let quizQuestions: number[] = [];
let setId = '';
let publicBase = '';
const service = { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}`, 'content-type': 'application/json' };

async function api<T>(token: string | null, path: string, body?: unknown, method = 'POST'): Promise<{ status: number; body: T }> {
  const headers = token ? { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' } : service;
  const res = await fetch(`${env.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function ok<T>(token: string | null, path: string, body?: unknown, method = 'POST'): Promise<T> {
  const r = await api<T>(token, path, body, method);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A quiz taken through the API, as the app would, with `correct` right answers. */
async function takeQuiz(token: string, exam: string, count: number, correct: number): Promise<{ attempt: string; questions: number[] }> {
  const quiz = await ok<{ attempt_id: string; questions: { question_id: number }[] }>(token, '/rest/v1/rpc/start_quiz', { p_exam: exam, p_count: count });
  const ids = quiz.questions.map((q) => q.question_id);
  const keys = await ok<{ id: number; question_keys: { correct_answer: string } | { correct_answer: string }[] }[]>(null, `/rest/v1/questions?select=id,question_keys(correct_answer)&id=in.(${ids.join(',')})`, undefined, 'GET');
  const key = new Map(keys.map((r) => [r.id, (Array.isArray(r.question_keys) ? r.question_keys[0] : r.question_keys)?.correct_answer]));
  const answers = ids.map((id, i) => ({ question_id: id, answer: i < correct ? key.get(id) : ['A', 'B', 'C', 'D'].find((l) => l !== key.get(id)) }));
  await ok(token, '/rest/v1/rpc/submit_quiz', { p_attempt: quiz.attempt_id, p_answers: answers });
  return { attempt: quiz.attempt_id, questions: ids };
}

describe('more of the learner app: streamed dashboard, reports, study set practice, lessons done', { sequential: true }, () => {
  before(async () => {
    let baseURL = process.env.WEB_E2E_URL ?? '';
    if (!baseURL) {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    publicBase = baseURL;
    const make = (p: { email: string; name: string }) => createConfirmedUser(p.email, password, p.name);
    [browser, people.ada.id, people.bob.id, people.olga.id, people.adam.id] = await Promise.all([launchBrowser(), make(people.ada), make(people.bob), make(people.olga), make(people.adam)]);
    const token = await accessTokenFor(people.ada.email, password);
    const quiz = await takeQuiz(token, 'security', 10, 7);
    results = quiz.attempt;
    reportedQuestion = quiz.questions[0] as number;
    quizQuestions = quiz.questions;
    ada = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    ada.setDefaultTimeout(10_000);
    page = await ada.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(people.ada.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/app$/);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the dashboard at once and streams in readiness and achievements', async () => {
    await page.goto('/app');
    await page.getByRole('heading', { name: 'Hi Ada More', level: 1 }).waitFor();
    // The streamed cards: her Security+ readiness and the badge of her first quiz.
    await page.getByRole('progressbar', { name: /readiness$/ }).first().waitFor();
    const achievements = page.locator('[aria-labelledby="achievements-title"]');
    await achievements.getByText(/^[1-9]\d* earned$/).waitFor();
    await achievements.getByText('Opening Move').waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: /^Loading/ }).count(), 0, 'no skeleton left once the data arrived');
    await noSeriousAxe(page, 'the dashboard');
    await screenshot(page, '95-dashboard-streamed', { fullPage: true });

    // Server-rendered without JavaScript: the streamed parts arrive in the same response.
    const html = await (await page.request.get('/app')).text();
    assert.match(html, /readiness/i);
  });

  it('reports a question from the review: errors beside the fields, then a thank-you', async () => {
    await page.goto(`/app/results/${results}`);
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    await page.getByText('Report a problem with question 1', { exact: true }).click();
    const reason = page.getByLabel('What is wrong?').first();
    const note = page.getByLabel(/^Note/).first();
    await page.getByRole('button', { name: 'Send report' }).first().click();
    await page.getByText('Choose a reason.').waitFor();
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.match((await reason.getAttribute('aria-describedby')) ?? '', /reason-error/);

    await reason.selectOption({ label: 'Something else' });
    await page.getByRole('button', { name: 'Send report' }).first().click();
    await page.getByText('Tell us what is wrong.').waitFor();
    assert.equal(await note.getAttribute('aria-invalid'), 'true');
    await noSeriousAxe(page, 'the report form with errors');
    await screenshot(page, '95-report-errors');

    await note.fill('The explanation contradicts the marked answer.');
    await page.getByRole('button', { name: 'Send report' }).first().click();
    await page.getByText("Thanks for the report. The question's authors will review it.").waitFor();
    await page.getByText(/^Reported\./).waitFor();
    await screenshot(page, '95-report-sent');

    const rows = await ok<{ reason: string; details: string; status: string }[]>(null, `/rest/v1/question_reports?select=reason,details,status&reporter_id=eq.${people.ada.id}&question_id=eq.${reportedQuestion}`, undefined, 'GET');
    assert.deepEqual(rows, [{ reason: 'other', details: 'The explanation contradicts the marked answer.', status: 'open' }]);

    // After a reload it stays reported (one open report per question and learner).
    await page.reload();
    await page.getByText(/^Reported\./).waitFor();
    assert.equal(await page.getByText('Report a problem with question 1', { exact: true }).count(), 0);
  });

  it('is keyboard usable and fits a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`/app/results/${results}`);
    const second = page.locator('details', { hasText: 'Report a problem with question 2' });
    await second.getByText('Report a problem with question 2', { exact: true }).focus();
    await page.keyboard.press('Enter');
    const reason = second.getByLabel('What is wrong?');
    await reason.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await reason.evaluate((el) => el === document.activeElement), true, 'Tab moves from the summary to the reason');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await reason.scrollIntoViewIfNeeded();
    await screenshot(page, '95-report-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a report from a learner who never met the question', async () => {
    const token = await accessTokenFor(people.bob.email, password);
    const r = await api(token, '/rest/v1/question_reports', { question_id: reportedQuestion, reason: 'typo' });
    assert.equal(r.status, 403, JSON.stringify(r.body));
  });

  it('practises a study set: one tap to question 1 of the set, in its order', async () => {
    const token = await accessTokenFor(people.ada.email, password);
    const headers = { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=representation' };
    const created = await fetch(`${env.apiUrl}/rest/v1/study_sets`, { method: 'POST', headers, body: JSON.stringify({ name: 'Tricky ones' }) });
    setId = ((await created.json()) as { id: string }[])[0]!.id;
    const picked = quizQuestions.slice(2, 5);
    const items = await fetch(`${env.apiUrl}/rest/v1/study_set_items`, { method: 'POST', headers, body: JSON.stringify(picked.map((q, i) => ({ study_set_id: setId, question_id: q, position: i }))) });
    assert.equal(items.status, 201);

    await page.goto(`/app/study/sets/${setId}`);
    await page.getByRole('heading', { name: 'Tricky ones', level: 1 }).waitFor();
    await noSeriousAxe(page, 'a study set');
    await screenshot(page, '96-study-set');
    await page.getByRole('button', { name: 'Practise this set' }).click();
    await page.waitForURL(/\/app\/quiz\/[0-9a-f-]{36}$/);
    await page.getByText(/Question 1 of 3/).first().waitFor();
    await noSeriousAxe(page, 'the study set quiz');
    await screenshot(page, '96-study-set-quiz');
    const attempt = page.url().split('/').pop();
    const drawn = await ok<{ question_id: number }[]>(null, `/rest/v1/quiz_attempt_items?select=question_id&attempt_id=eq.${attempt}&order=position`, undefined, 'GET');
    assert.deepEqual(drawn.map((d) => d.question_id), picked, 'the set\'s questions, in its order');
  });

  it('refuses another learner\'s private set', async () => {
    const token = await accessTokenFor(people.bob.email, password);
    const r = await api<{ code: string }>(token, '/rest/v1/rpc/start_study_set_quiz', { p_set: setId });
    assert.equal(r.status, 404, JSON.stringify(r.body));
    assert.equal(r.body.code, 'PT404');
  });

  it('remembers a lesson nobody assigned as done, in the list too', async () => {
    const [olga, adam, adaToken] = await Promise.all([people.olga, people.adam, people.ada].map((p) => accessTokenFor(p.email, password)));
    const org = await ok<{ id: string }>(olga!, '/rest/v1/rpc/create_organization', { p_name: 'Quay Academy', p_slug: `quay-${stamp}` });
    for (const [token, who, role] of [[adaToken!, people.ada, 'learner'], [adam!, people.adam, 'admin']] as const) {
      const inv = await ok<{ invitation_id: string }>(olga!, '/rest/v1/rpc/invite_to_organization', { p_organization: org.id, p_email: who.email, p_role: role });
      await ok(token, '/rest/v1/rpc/accept_invitation', { p_invitation: inv.invitation_id });
    }
    const v = await ok<{ lesson_id: string }>(olga!, '/rest/v1/rpc/create_lesson', { p_organization: org.id, p_title: 'Hashing in five minutes', p_body: '# Hashes\nA hash is one-way.\n\n- SHA-256\n- bcrypt for passwords' });
    await ok(olga!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'in_review' });
    await ok(adam!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'approved' });
    await ok(adam!, '/rest/v1/rpc/set_lesson_status', { p_lesson: v.lesson_id, p_version: 1, p_status: 'published' });

    await page.goto('/app/lessons');
    const list = page.getByRole('list', { name: 'Published lessons' });
    await list.getByText('Hashing in five minutes').waitFor();
    assert.equal(await list.getByText('Done', { exact: true }).count(), 0, 'not done yet, and not assigned');
    await list.getByRole('link', { name: /Hashing in five minutes/ }).click();
    await page.getByRole('heading', { name: 'Hashing in five minutes', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await page.getByText('Lesson done').waitFor();
    await page.reload();
    await page.getByText('Lesson done').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Mark as done' }).count(), 0, 'remembered after a reload');
    await page.goto('/app/lessons');
    await list.getByText('Done', { exact: true }).waitFor();
    await noSeriousAxe(page, 'the lessons list with a done lesson');
    await screenshot(page, '96-lessons-done');

    // Olga (the owner) reads Ada's completion; Bob (not a member) reads nothing.
    const seen = await ok<{ user_id: string }[]>(olga!, `/rest/v1/lesson_completions?select=user_id&lesson_id=eq.${v.lesson_id}`, undefined, 'GET');
    assert.deepEqual(seen, [{ user_id: people.ada.id }]);
    const bob = await accessTokenFor(people.bob.email, password);
    assert.deepEqual(await ok(bob, `/rest/v1/lesson_completions?select=user_id&lesson_id=eq.${v.lesson_id}`, undefined, 'GET'), []);
  });

  it('shows a public profile to anyone, server-rendered, and nothing but "private" once hidden', async () => {
    const rows = await ok<{ username: string }[]>(null, `/rest/v1/profiles?select=username&id=eq.${people.ada.id}`, undefined, 'GET');
    const username = rows[0]?.username ?? assert.fail('Ada has a username');
    const guest = await browser.newContext({ baseURL: publicBase, viewport: { width: 360, height: 780 }, locale: 'en-GB' });
    guest.setDefaultTimeout(10_000);
    const g = await guest.newPage();
    // Server-rendered: the HTML itself carries the profile.
    const html = await (await g.request.get(`/u/${username}`)).text();
    assert.match(html, /Ada More/);
    assert.match(html, /Opening Move/);
    await g.goto(`/u/${username}`);
    await g.getByRole('heading', { name: 'Ada More', level: 1 }).waitFor();
    await g.getByText(/^Level \d+$/).waitFor();
    await g.getByText('Opening Move').waitFor();
    await g.getByText(/· wears /).waitFor();
    const overflow = await g.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await noSeriousAxe(g, 'a public profile');
    await screenshot(g, '96-public-profile-phone', { fullPage: true });

    // Ada makes her profile private: a guest and Bob see only the private state, Ada still sees hers.
    const token = await accessTokenFor(people.ada.email, password);
    const r = await fetch(`${env.apiUrl}/rest/v1/profiles?id=eq.${people.ada.id}`, { method: 'PATCH', headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ profile_visibility: 'private' }) });
    assert.equal(r.status, 204);
    await g.reload();
    await g.getByRole('heading', { name: 'This profile is private', level: 1 }).waitFor();
    assert.equal(await g.getByText('Ada More').count(), 0, 'no name');
    assert.equal(await g.getByText('Opening Move').count(), 0, 'no achievements');
    const hiddenHtml = await (await g.request.get(`/u/${username}`)).text();
    assert.doesNotMatch(hiddenHtml, /Ada More|Opening Move|Level \d/);
    await noSeriousAxe(g, 'a private profile');
    await screenshot(g, '96-public-profile-private');
    // A username nobody has reads exactly the same.
    await g.goto('/u/nobody-by-this-name');
    await g.getByRole('heading', { name: 'This profile is private', level: 1 }).waitFor();
    await guest.close();

    await page.goto(`/u/${username}`);
    await page.getByRole('heading', { name: 'Ada More', level: 1 }).waitFor();
    await screenshot(page, '96-public-profile-own');
  });
});
