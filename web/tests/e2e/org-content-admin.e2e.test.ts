// Organisation content admin (issue 11): an admin imports a CSV with a bad row (the per-row report
// names it, the good rows are imported and show up in authoring), authoring makes a new version,
// a learner's report reaches the moderation queue and is resolved, a lesson goes draft → review →
// published with two people, a webhook endpoint is created (its secret shown once) and pinged;
// a learner of the organisation gets the no-permission page on each of these pages. axe on every
// page, screenshots of each state.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
const contexts: BrowserContext[] = [];
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  admin: { email: `ada-${stamp}@example.com`, name: 'Ada Admin' },
  instructor: { email: `ines-${stamp}@example.com`, name: 'Ines Instructor' },
  learner: { email: `leo-${stamp}@example.com`, name: 'Leo Learner' },
};
const org = { name: `Content Lab ${stamp}`, slug: `content-${stamp}`, id: '' };
const tokens: Record<keyof typeof people, string> = { admin: '', instructor: '', learner: '' };

// Line 3 is the bad row (answer E); lines 2 and 4 are good. Line 4's question spans two lines of
// the file, so the report must name lines as the file has them, not as record numbers.
const goodStem = `Which port does HTTPS use by default? (${stamp})`;
const secondStem = `Which protocol encrypts remote shell sessions? (${stamp})`;
const CSV = [
  'exam,domain,question,option_a,option_b,option_c,option_d,correct_answer,explanation_a,explanation_b,explanation_c,explanation_d',
  `SY0-701,1.0,${goodStem},80,443,22,25,B,That is HTTP.,HTTPS listens on 443.,That is SSH.,That is SMTP.`,
  `SY0-701,1.0,Which colour is the sky on a clear day?,Blue,Green,Red,Black,E,a,b,c,d`,
  `SY0-701,2.0,"${secondStem}\nPick one.",Telnet,SSH,FTP,HTTP,B,Plain text.,SSH encrypts the session.,Plain text.,Plain text.`,
].join('\n');

async function rest<T>(token: string, path: string, init: { method?: string; body?: unknown; prefer?: string } = {}): Promise<T> {
  const res = await fetch(`${env.apiUrl}/rest/v1/${path}`, {
    method: init.method ?? 'GET',
    headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.prefer ? { prefer: init.prefer } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}
const rpc = <T>(token: string, name: string, body: unknown) => rest<T>(token, `rpc/${name}`, { method: 'POST', body });

async function signIn(email: string, width = 1280): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, viewport: { width, height: 900 } });
  ctx.setDefaultTimeout(15_000);
  contexts.push(ctx);
  return signInPage(ctx, email, password);
}

/** A full-page screenshot from the top (the sticky header would otherwise sit mid-page). */
async function shot(p: Page, name: string) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await screenshot(p, name, { fullPage: true });
}

async function noSidewaysScroll(p: Page, where: string) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways at 360 px by ${overflow}px`);
}

describe('organisation content admin', { sequential: true }, () => {
  let admin: Page;
  let questionId = 0;

  before(async () => {
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    [browser] = await Promise.all([launchBrowser(), ...Object.values(people).map((p) => createConfirmedUser(p.email, password, p.name))]);
    for (const k of Object.keys(people) as (keyof typeof people)[]) tokens[k] = await accessTokenFor(people[k].email, password);
    // The scene: Ada's organisation (she is its owner) with Ines as instructor and Leo as learner, both invited and accepted.
    org.id = (await rpc<{ id: string }>(tokens.admin, 'create_organization', { p_name: org.name, p_slug: org.slug })).id;
    for (const who of ['instructor', 'learner'] as const) {
      const inv = await rpc<{ invitation_id: string }>(tokens.admin, 'invite_to_organization', { p_organization: org.id, p_email: people[who].email, p_role: who });
      await rpc(tokens[who], 'accept_invitation', { p_invitation: inv.invitation_id });
    }
  });

  after(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('an admin imports a CSV with a bad row: the report names line 3, the good rows are imported and show in authoring', async () => {
    admin = await signIn(people.admin.email);
    await admin.goto(`/org/${org.slug}`);
    await admin.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Imports' }).click();
    await admin.waitForURL(`**/org/${org.slug}/imports`);
    await admin.getByRole('heading', { name: 'Imports', level: 2 }).waitFor();
    await noSeriousAxe(admin, 'the imports page');

    // The sample downloads as a CSV with the columns the import reads.
    const sample = await admin.request.get(`/org/${org.slug}/imports/sample/questions`);
    assert.equal(sample.status(), 200);
    assert.match(sample.headers()['content-disposition'] ?? '', /attachment; filename="ascend-questions-sample.csv"/);
    assert.match((await sample.text()).split('\r\n')[0]!, /^exam,domain,question,option_a/);

    // No file: the message sits beside the field.
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.getByText('Choose the CSV file to check').waitFor();
    assert.equal(await admin.getByLabel('CSV file (UTF-8, at most 2 MB and 1,000 rows)', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shot(admin, '86-imports-start');

    await admin.getByLabel('CSV file (UTF-8, at most 2 MB and 1,000 rows)', { exact: true }).setInputFiles({ name: 'questions.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.getByRole('heading', { name: 'Check of questions.csv' }).waitFor();
    await admin.getByText('3 rows checked: 2 ready to import, 1 with a problem.').waitFor();
    const problems = admin.getByRole('table', { name: 'Rows with problems' });
    const rows = problems.getByRole('row');
    assert.equal(await rows.count(), 2, 'a header and one problem row');
    assert.equal(await rows.nth(1).getByRole('cell').first().innerText(), 'Line 3');
    assert.match(await rows.nth(1).getByRole('cell').nth(1).innerText(), /correct answer "E" must be A, B, C or D/);
    await noSeriousAxe(admin, 'the import report');
    await shot(admin, '86-imports-report');
    // Nothing was written by the check.
    assert.deepEqual(await rest(tokens.admin, `questions?select=id&organization_id=eq.${org.id}`), []);

    await admin.getByRole('button', { name: 'Import the 2 good rows, skip line 3' }).click();
    await admin.getByText('2 questions imported as drafts').waitFor();
    await admin.getByText('Skipped line 3, as you chose.').waitFor();
    await noSeriousAxe(admin, 'the import result');
    await shot(admin, '86-imports-done');
    const stored = await rest<{ stem: string; status: string }[]>(tokens.admin, `questions?select=stem,status&organization_id=eq.${org.id}&order=id`);
    assert.deepEqual(stored.map((q) => q.status), ['draft', 'draft']);
    assert.deepEqual(stored.map((q) => q.stem.split('\n')[0]), [goodStem, secondStem]);

    await admin.getByRole('link', { name: 'Open the drafts' }).click();
    await admin.waitForURL(/\/questions\?status=draft$/);
    const list = admin.getByRole('list', { name: 'Questions' });
    await list.getByRole('link', { name: goodStem }).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 2);
    await noSeriousAxe(admin, 'the question bank');
    await shot(admin, '86-questions-bank');

    // People: a dry run names the bad address by its line; nobody is invited by a check.
    await admin.goto(`/org/${org.slug}/imports`);
    await admin.getByRole('navigation', { name: 'What to import' }).getByRole('link', { name: 'People' }).click();
    await admin.getByRole('heading', { name: 'People from a CSV file' }).waitFor();
    const peopleCsv = `email,name,role\nnew-${stamp}@example.com,New One,learner\nnot-an-address,Bad One,learner\n`;
    await admin.getByLabel('CSV file (UTF-8, at most 2 MB and 1,000 rows)', { exact: true }).setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(peopleCsv) });
    await admin.getByRole('button', { name: 'Check the file' }).click();
    await admin.getByText('2 rows checked: 1 ready to import, 1 with a problem.').waitFor();
    const bad = admin.getByRole('table', { name: 'Rows with problems' }).getByRole('row').nth(1);
    assert.equal(await bad.getByRole('cell').first().innerText(), 'Line 3');
    assert.match(await bad.getByRole('cell').nth(1).innerText(), /"not-an-address" is not an e-mail address/);
    await admin.getByRole('button', { name: 'Import the 1 good row, skip line 3' }).waitFor();
    await noSeriousAxe(admin, 'the people import report');
    await shot(admin, '86-imports-people-report');
    assert.deepEqual(await rest(tokens.admin, `organization_invitations?select=email&organization_id=eq.${org.id}&email=eq.new-${stamp}@example.com`), []);
  });

  it('authoring: publishing and fixing a question makes new versions, listed with what changed', async () => {
    await admin.goto(`/org/${org.slug}/questions`);
    await admin.getByRole('list', { name: 'Questions' }).getByRole('link', { name: goodStem }).click();
    await admin.getByRole('heading', { name: 'Edit question' }).waitFor();
    questionId = Number(/\/questions\/(\d+)/.exec(admin.url())![1]);
    await admin.getByText('Version 1', { exact: true }).first().waitFor();

    // A field error keeps what was typed.
    await admin.getByLabel('Question', { exact: true }).fill('Too short');
    await admin.getByRole('button', { name: 'Save as a new version' }).click();
    await admin.getByText('The question needs at least 10 characters').waitFor();
    assert.equal(await admin.getByLabel('Question', { exact: true }).inputValue(), 'Too short');

    await admin.getByLabel('Question', { exact: true }).fill(goodStem);
    await admin.getByLabel('Option C').fill('22 (SSH)');
    await admin.getByLabel('Status').selectOption('published');
    await admin.getByRole('button', { name: 'Save as a new version' }).click();
    await admin.getByText('Saved. The question is at version 2.').waitFor();
    const history = admin.getByRole('list', { name: 'Version history' });
    await history.getByText('Option C · Status draft → published').waitFor();
    await history.getByText('Version 1', { exact: true }).waitFor();
    await noSeriousAxe(admin, 'the question editor');
    await shot(admin, '86-question-version-2');
    const [q] = await rest<{ version: number; status: string }[]>(tokens.admin, `questions?select=version,status&id=eq.${questionId}`);
    assert.deepEqual(q, { version: 2, status: 'published' });

    // A new question from scratch starts at version 1.
    await admin.goto(`/org/${org.slug}/questions/new`);
    await admin.getByRole('button', { name: 'Create question' }).click();
    await admin.getByText('Choose the exam domain').waitFor();
    await admin.getByText('Choose the correct answer').waitFor();
    await noSeriousAxe(admin, 'the new question form with errors');
    await admin.getByLabel('Exam domain').selectOption({ label: '3.0 Security Architecture' });
    await admin.getByLabel('Question', { exact: true }).fill(`What does a DMZ separate from the internal network? (${stamp})`);
    for (const [l, o, e] of [['A', 'Public-facing servers', 'Yes.'], ['B', 'Printers', 'No.'], ['C', 'Backups', 'No.'], ['D', 'Laptops', 'No.']] as const) {
      await admin.getByLabel(`Option ${l}`).fill(o);
      await admin.getByLabel(`Why ${l} is right or wrong`).fill(e);
    }
    await admin.getByLabel('A is correct').check();
    await admin.getByRole('button', { name: 'Create question' }).click();
    await admin.getByText('Question created as version 1.').waitFor();
    await admin.getByRole('list', { name: 'Version history' }).getByText('First version').waitFor();
  });

  it("a learner's report appears in the moderation queue; the admin edits the question from it and resolves it", async () => {
    // Leo, a learner of the organisation, meets the now published question in a quiz of the
    // organisation's own questions (a learner reports only questions of his own quizzes), then
    // reports it (as the results page does).
    const [{ exam_id }] = await rest<{ exam_id: string }[]>(tokens.learner, `questions?select=exam_id&id=eq.${questionId}`) as [{ exam_id: string }];
    const quiz = await rpc<{ questions: { question_id: number }[] }>(tokens.learner, 'start_quiz', { p_exam: exam_id, p_count: 100, p_organization: org.id });
    assert.ok(quiz.questions.some((q) => q.question_id === questionId), 'the quiz holds the question');
    await rest(tokens.learner, 'question_reports', { method: 'POST', body: { question_id: questionId, reason: 'unclear', details: 'Option C mentions SSH, is that a hint?' } });
    await admin.goto(`/org/${org.slug}/questions`);
    await admin.getByRole('link', { name: /Moderation queue\s*1 open/ }).click();
    const queue = admin.getByRole('list', { name: 'Open reports' });
    const item = queue.getByRole('listitem').filter({ hasText: goodStem });
    await item.getByText('“Option C mentions SSH, is that a hint?”').waitFor();
    await item.getByText(people.learner.name, { exact: false }).waitFor();
    await noSeriousAxe(admin, 'the moderation queue');
    await shot(admin, '86-moderation-queue');

    // Edit the question from the report, then resolve it with a note the reporter reads.
    await item.getByRole('link', { name: 'Edit the question' }).click();
    await admin.getByRole('heading', { name: 'Edit question' }).waitFor();
    await admin.getByRole('list', { name: 'Reports on this question' }).getByText('Option C mentions SSH, is that a hint?').waitFor();
    await admin.getByLabel('Option C').fill('22');
    await admin.getByRole('button', { name: 'Save as a new version' }).click();
    await admin.getByText('Saved. The question is at version 3.').waitFor();
    const reportId = (await rest<{ id: number }[]>(tokens.learner, `question_reports?select=id&question_id=eq.${questionId}`))[0]!.id;
    await admin.getByLabel('Note to the reporter (optional)').fill('Thanks, the hint is gone.');
    await admin.getByRole('button', { name: `Resolve report ${reportId}` }).click();
    await admin.getByText('Report resolved').first().waitFor();
    await admin.getByRole('list', { name: 'Reports on this question' }).getByText('Resolved', { exact: true }).waitFor();

    await admin.goto(`/org/${org.slug}/questions/reports`);
    await admin.getByText('Nothing to moderate').waitFor();
    await admin.getByRole('link', { name: 'Handled' }).click();
    await admin.getByRole('list', { name: 'Handled reports' }).getByText('Note: Thanks, the hint is gone.').waitFor();
    await shot(admin, '86-moderation-handled');
    // What Leo sees of his own report.
    assert.deepEqual(await rest(tokens.learner, `question_reports?select=status,moderator_note&id=eq.${reportId}`), [{ status: 'resolved', moderator_note: 'Thanks, the hint is gone.' }]);
  });

  it('a lesson goes draft → review → published: the instructor writes and submits, the admin approves and publishes', async () => {
    const ines = await signIn(people.instructor.email);
    await ines.goto(`/org/${org.slug}/lessons`);
    await ines.getByText('No lessons yet').waitFor();
    await noSeriousAxe(ines, 'the empty lessons page');
    await ines.getByRole('button', { name: 'New lesson' }).click();
    await ines.getByRole('button', { name: 'Create the draft' }).click();
    await ines.getByText('Give the lesson a title').waitFor();
    const title = `Ports every analyst knows ${stamp}`;
    await ines.getByLabel('Title').fill(title);
    await ines.getByLabel('Content (Markdown)').fill('# Ports\n\n443 is HTTPS.\n22 is SSH.');
    await ines.getByRole('button', { name: 'Create the draft' }).click();
    await ines.getByText('Draft created').waitFor();
    // The organisation's name is the page's h1; the lesson's title heads its section.
    await ines.getByRole('heading', { name: title, level: 2 }).waitFor();
    await ines.getByRole('button', { name: 'Submit for review' }).click();
    await ines.getByText('Submitted for review').first().waitFor();
    await ines.getByText('Waiting for an owner or admin to review it.').waitFor();
    await noSeriousAxe(ines, 'a lesson in review');
    await shot(ines, '86-lesson-in-review');
    // A learner cannot read it yet.
    assert.deepEqual(await rest(tokens.learner, `lesson_versions?select=title&organization_id=eq.${org.id}`), []);

    await admin.goto(`/org/${org.slug}/lessons`);
    await admin.getByText('1 lesson waits for review.').waitFor();
    await admin.getByRole('link', { name: title }).click();
    await admin.getByRole('button', { name: 'Approve' }).click();
    await admin.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    await admin.getByRole('button', { name: 'Publish' }).click();
    await admin.getByText('Published: learners of the organisation can read it now').first().waitFor();
    await admin.getByText('version 1 is what learners read').waitFor();
    await noSeriousAxe(admin, 'a published lesson');
    await shot(admin, '86-lesson-published');
    assert.deepEqual(await rest(tokens.learner, `lesson_versions?select=title,status&organization_id=eq.${org.id}`), [{ title, status: 'published' }]);
  });

  it('a webhook endpoint is created, its secret shown once, and a test ping is delivered from the log', async () => {
    await admin.goto(`/org/${org.slug}/webhooks`);
    await admin.getByText('No endpoints yet').waitFor();
    await admin.getByRole('button', { name: 'Add an endpoint' }).click();
    await admin.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await admin.getByRole('button', { name: 'Add the endpoint' }).click();
    await admin.getByText('Enter an http:// or https:// URL').waitFor();
    await noSeriousAxe(admin, 'the webhook form with an error');
    await admin.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/ascend-hook');
    await admin.getByLabel('Description (optional)').fill('LMS sync');
    await admin.getByRole('checkbox', { name: /lesson\.published/ }).check();
    await admin.getByRole('button', { name: 'Add the endpoint' }).click();
    await admin.getByRole('heading', { name: 'Endpoint added: copy the signing secret now' }).waitFor();
    const secret = await admin.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    assert.match(secret, /^whsec_[0-9a-f]{48}$/);
    await admin.getByRole('list', { name: 'Endpoints' }).getByText(`secret …${secret.slice(-4)}`).waitFor();
    await noSeriousAxe(admin, 'the webhooks page with a new secret');
    await shot(admin, '86-webhook-created');
    // Shown once: a reload does not show it again.
    await admin.reload();
    await admin.getByRole('list', { name: 'Endpoints' }).getByText('LMS sync').waitFor();
    assert.equal(await admin.getByRole('textbox', { name: 'Signing secret' }).count(), 0);
    assert.equal((await admin.content()).includes(secret), false, 'the secret is nowhere in the page any more');

    await admin.getByRole('link', { name: 'http://127.0.0.1:9/ascend-hook' }).click();
    await admin.getByText('Nothing delivered yet').waitFor();
    await admin.getByRole('button', { name: 'Send a test ping' }).click();
    await admin.getByText('Test ping sent: its delivery is listed below').first().waitFor();
    const deliveries = admin.getByRole('list', { name: 'Deliveries' });
    await deliveries.getByText('ping', { exact: true }).waitFor();
    await deliveries.getByText(/attempt 1 of 6/).waitFor();
    await noSeriousAxe(admin, 'the endpoint page');
    await shot(admin, '86-webhook-endpoint');

    await admin.setViewportSize({ width: 360, height: 800 });
    await noSidewaysScroll(admin, 'the endpoint page');
    await shot(admin, '86-webhook-endpoint-360');
    await admin.goto(`/org/${org.slug}/questions`);
    await noSidewaysScroll(admin, 'the question bank');
    await shot(admin, '86-questions-360');
    await admin.setViewportSize({ width: 1280, height: 900 });

    // Dark mode keeps its contrast on the busiest of these pages.
    await admin.emulateMedia({ colorScheme: 'dark' });
    await admin.goto(`/org/${org.slug}/questions/${questionId}`);
    await admin.getByRole('heading', { name: 'Edit question' }).waitFor();
    await noSeriousAxe(admin, 'the question editor in dark mode');
    await shot(admin, '86-question-dark');
    await admin.emulateMedia({ colorScheme: 'light' });
  });

  it('a learner of the organisation gets the no-permission page on each of them; an instructor on webhooks and people imports', async () => {
    const leo = await signIn(people.learner.email);
    for (const [path, what] of [['questions', 'the question bank'], ['questions/reports', 'the question bank'], ['imports', 'the imports'], ['lessons', 'the lessons'], ['webhooks', 'the webhooks']] as const) {
      const res = await leo.goto(`/org/${org.slug}/${path}`);
      assert.equal(res?.status(), 403, `${path} answers 403 to a learner`);
      await leo.getByRole('heading', { name: `You do not have permission to see ${what} of ${org.name}` }).waitFor();
      await leo.getByText('You are a learner there').waitFor();
      assert.equal(await leo.getByText(goodStem).count(), 0);
    }
    await noSeriousAxe(leo, 'the no-permission page');
    await shot(leo, '86-no-permission');
    // Someone outside the organisation learns nothing about it.
    const res = await leo.goto(`/org/not-${org.slug}/questions`);
    assert.equal(res?.status(), 404);

    const ines = await signIn(people.instructor.email);
    assert.equal((await ines.goto(`/org/${org.slug}/webhooks`))?.status(), 403);
    await ines.goto(`/org/${org.slug}/imports?kind=users`);
    assert.equal(await ines.getByRole('navigation', { name: 'What to import' }).count(), 0, 'instructors import questions only');
    await ines.getByRole('heading', { name: 'Questions from a CSV file' }).waitFor();
  });
});
