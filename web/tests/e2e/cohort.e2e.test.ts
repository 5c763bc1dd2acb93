// Instructor and organisation admin (issue 11): the owner invites a learner, who accepts; an
// instructor puts them in a team, assigns a quiz and watches completion arrive live on the
// assignment page and the cohort overview (both open, never reloaded) while the learner takes the
// quiz in another browser context. The owner reads the audit log with filters; the instructor
// gets the no-permission page there; the learner gets it on every organisation page (they know the
// organisation exists), and nothing they post is written.
// axe on every page; screenshots.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { accessTokenFor, answerKey, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, rpc, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
const contexts: BrowserContext[] = [];
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  owner: { email: `oona-${stamp}@example.com`, name: 'Oona Owner' },
  instructor: { email: `igor-${stamp}@example.com`, name: 'Igor Instructor' },
  learner: { email: `lia-${stamp}@example.com`, name: 'Lia Learner' },
};
const org = { name: `Summit School ${stamp}`, slug: `summit-${stamp}`, id: '' };
const assignmentTitle = 'Week 1: warm-up';
let key = new Map<string, string>();

async function signIn(email: string, opts: { width?: number; dark?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, viewport: { width: opts.width ?? 1280, height: 900 }, colorScheme: opts.dark ? 'dark' : 'light' });
  ctx.setDefaultTimeout(10_000);
  contexts.push(ctx);
  return signInPage(ctx, email, password);
}

/** Reads rows with the service role (what is really in the database, whatever the page says). */
async function serviceSelect<T = unknown>(query: string): Promise<T[]> {
  const res = await fetch(`${env.apiUrl}/rest/v1/${query}`, { headers: { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}` } });
  if (!res.ok) throw new Error(`${query} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T[];
}

/** Marks the document, to prove later that the page was updated in place, not reloaded. */
async function markDocument(p: Page) {
  await p.evaluate(() => ((window as unknown as { __stillHere: boolean }).__stillHere = true));
}
async function sameDocument(p: Page): Promise<boolean> {
  return p.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere === true);
}

const orgNav = (p: Page) => p.getByRole('navigation', { name: 'Organisation' });

/** Opens a section from the organisation's menu and waits until it is the page shown. */
async function openSection(p: Page, name: string) {
  const link = orgNav(p).getByRole('link', { name, exact: true });
  await link.click();
  try {
    await p.locator(`nav[aria-label="Organisation"] a[aria-current="page"]`, { hasText: name }).waitFor();
    await p.getByRole('heading', { name, level: 2 }).waitFor();
  } catch (e) {
    await screenshot(p, `failed-open-${name.replace(/\W+/g, '-')}`, { fullPage: true });
    throw e;
  }
}

describe('instructor and organisation admin: cohort, teams, assignments, audit', { sequential: true }, () => {
  let owner: Page;
  let instructor: Page;
  let overview: Page;
  let learner: Page;

  before(async () => {
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    [browser] = await Promise.all([launchBrowser(), ...Object.values(people).map((p) => createConfirmedUser(p.email, password, p.name))]);
    key = await answerKey([]);
    // The scene: Oona's organisation, with Igor already its instructor (invited and accepted).
    const [ownerToken, instructorToken] = await Promise.all([accessTokenFor(people.owner.email, password), accessTokenFor(people.instructor.email, password)]);
    org.id = (await rpc<{ id: string }>(ownerToken, 'create_organization', { p_name: org.name, p_slug: org.slug })).id;
    const inv = await rpc<{ invitation_id: string }>(ownerToken, 'invite_to_organization', { p_organization: org.id, p_email: people.instructor.email, p_role: 'instructor' });
    await rpc(instructorToken, 'accept_invitation', { p_invitation: inv.invitation_id });
  });

  after(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('the owner opens an empty cohort overview and invites a learner from Members', async () => {
    owner = await signIn(people.owner.email);
    await owner.goto(`/org/${org.slug}`);
    await owner.getByRole('heading', { name: org.name, level: 1 }).waitFor();
    assert.equal(await orgNav(owner).getByRole('link', { name: 'Overview' }).getAttribute('aria-current'), 'page');
    assert.deepEqual(await orgNav(owner).getByRole('link').allTextContents(), ['Overview', 'Members', 'Teams & departments', 'Assignments', 'Questions', 'Imports', 'Lessons', 'Training reports', 'Audit log', 'Webhooks']);
    await owner.getByText('No learners yet').waitFor();
    await noSeriousAxe(owner, 'the empty cohort overview');
    await screenshot(owner, '70-cohort-empty');

    await openSection(owner, 'Members');
    await owner.getByLabel('E-mail').fill(people.learner.email);
    await owner.getByLabel('Role', { exact: true }).selectOption('learner');
    await owner.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByText(`Invitation sent to ${people.learner.email}`).waitFor();
  });

  it('the learner accepts the invitation', async () => {
    learner = await signIn(people.learner.email);
    await learner.goto('/app/invitations');
    await learner.getByRole('button', { name: `Accept the invitation to ${org.name}` }).click();
    await learner.getByText(`You joined ${org.name} as learner`).first().waitFor();
  });

  it('the instructor sees the learner on the overview, never started, and puts them in a team', async () => {
    instructor = await signIn(people.instructor.email);
    await instructor.goto(`/org/${org.slug}`);
    const table = instructor.getByRole('table');
    await table.getByRole('rowheader', { name: new RegExp(people.learner.name) }).waitFor();
    const atRisk = instructor.getByRole('list', { name: 'Learners at risk' });
    await atRisk.getByText('Never started').waitFor();
    // Instructors do not see the audit log in the menu.
    assert.deepEqual(await orgNav(instructor).getByRole('link').allTextContents(), ['Overview', 'Members', 'Teams & departments', 'Assignments', 'Questions', 'Imports', 'Lessons', 'Training reports']);

    await openSection(instructor, 'Teams & departments');
    await instructor.getByText('No teams yet').waitFor();
    // An empty name is refused beside the field.
    await instructor.getByRole('button', { name: 'Create team' }).click();
    await instructor.getByText('Enter a name').waitFor();
    assert.equal(await instructor.getByLabel('Team name').getAttribute('aria-invalid'), 'true');
    await instructor.getByLabel('Team name').fill('Cohort A');
    await instructor.getByRole('button', { name: 'Create team' }).click();
    const team = instructor.getByRole('listitem', { name: 'Cohort A' });
    await team.waitFor();
    await team.getByLabel('Member to add to Cohort A').selectOption({ label: people.learner.name });
    await team.getByRole('button', { name: 'Add to Cohort A' }).click();
    await instructor.getByRole('list', { name: 'Members of Cohort A' }).getByText(people.learner.name).waitFor();
    // Departments are for owners and admins.
    assert.equal(await instructor.getByRole('button', { name: 'Create department' }).count(), 0);
    await noSeriousAxe(instructor, 'teams & departments');
    await screenshot(instructor, '71-teams', { fullPage: true });
  });

  it('the instructor assigns a quiz to the team and lands on its progress, live', async () => {
    await openSection(instructor, 'Assignments');
    await instructor.getByText('Nothing assigned yet').waitFor();
    await instructor.getByText('Live', { exact: true }).waitFor();
    // A due date in the past is refused beside the field, and what was typed stays.
    await instructor.getByLabel('Title').fill(assignmentTitle);
    await instructor.getByLabel('For').selectOption({ label: 'Cohort A' });
    await instructor.getByLabel('Exam').selectOption({ label: 'CompTIA Security+' });
    await instructor.getByLabel('Questions').fill('5');
    await instructor.getByLabel('Pass mark (%)').fill('60');
    await instructor.getByLabel('Due').fill('2020-01-01T09:00');
    await noSeriousAxe(instructor, 'the assignments page');
    await screenshot(instructor, '72-assignments-form', { fullPage: true });
    await instructor.getByRole('button', { name: 'Assign' }).click();
    await instructor.getByText('Choose a date in the future').waitFor();
    assert.equal(await instructor.getByLabel('Title').inputValue(), assignmentTitle);

    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await instructor.getByLabel('Due').fill(`${due}T18:00`);
    await instructor.getByRole('button', { name: 'Assign' }).click();
    await instructor.waitForURL(new RegExp(`/org/${org.slug}/assignments/[0-9a-f-]{36}$`), { waitUntil: 'commit' });
    await instructor.getByRole('heading', { name: assignmentTitle }).waitFor();
    await instructor.getByText('0 of 1 completed').first().waitFor();
    const row = instructor.getByRole('row').filter({ hasText: people.learner.name });
    await row.getByText('Not yet').waitFor();
    await instructor.getByText('Live', { exact: true }).waitFor();
    await noSeriousAxe(instructor, 'the assignment progress page');
    await screenshot(instructor, '73-assignment-before');

    // A second tab on the cohort overview, also left open.
    overview = await instructor.context().newPage();
    await overview.goto(`/org/${org.slug}`);
    await overview.getByRole('table').getByRole('rowheader', { name: new RegExp(people.learner.name) }).waitFor();
    await overview.getByText('Live', { exact: true }).waitFor();
    await markDocument(instructor);
    await markDocument(overview);
  });

  it('the learner takes the assigned quiz; completion arrives on the instructor\'s open pages without a reload', async () => {
    await learner.goto('/app/assignments');
    await learner.getByRole('button', { name: `Start ${assignmentTitle}` }).click();
    for (let i = 1; i <= 5; i++) {
      await learner.getByText(`Question ${i} of 5`).waitFor();
      const stem = (await learner.locator('#question-stem').textContent())?.trim() ?? '';
      const letter = key.get(stem);
      assert.ok(letter, `no answer key for "${stem}"`);
      await learner.getByRole('group', { name: stem }).getByRole('radio').nth('ABCD'.indexOf(letter)).check();
      await learner.getByText('Answer saved').waitFor();
      await learner.getByRole('button', { name: i === 5 ? 'Review answers' : 'Next' }).click();
    }
    await learner.getByRole('button', { name: 'Submit quiz' }).click();
    await learner.getByRole('alertdialog', { name: 'Submit your quiz?' }).getByRole('button', { name: 'Submit' }).click();
    await learner.getByRole('heading', { name: 'Perfect score!' }).waitFor();

    // The assignment page: the learner's row turns completed, the count goes to 1 of 1.
    await instructor.getByText('1 of 1 completed').first().waitFor();
    await instructor.getByRole('row').filter({ hasText: people.learner.name }).getByText('Completed', { exact: true }).waitFor();
    await instructor.getByRole('row').filter({ hasText: people.learner.name }).getByText('100%').waitFor();
    assert.ok(await sameDocument(instructor), 'the assignment page updated in place, without a reload');
    await screenshot(instructor, '74-assignment-completed-live');

    // The overview: the learner now has a quiz, full accuracy, and is no longer "never started".
    const learnerRow = overview.getByRole('row').filter({ hasText: people.learner.name });
    await learnerRow.getByRole('cell', { name: 'Today' }).waitFor();
    assert.equal(await learnerRow.getByRole('cell').nth(4).textContent(), '100%', 'accuracy over 30 days');
    assert.equal(await overview.getByRole('list', { name: 'Learners at risk' }).count(), 0);
    await overview.getByText('Nobody right now').waitFor();
    assert.ok(await sameDocument(overview), 'the overview updated in place, without a reload');
    await overview.getByRole('img', { name: /Learners by level/ }).waitFor();
    await noSeriousAxe(overview, 'the cohort overview');
    await screenshot(overview, '75-cohort-live', { fullPage: true });

    // Readiness for an exam, chosen in the filter.
    await overview.getByLabel('Readiness for').selectOption({ label: 'CompTIA Security+' });
    await overview.waitForURL(/exam=security/, { waitUntil: 'commit' });
    await overview.getByRole('img', { name: /Learners by readiness/ }).waitFor();
  });

  it('the assignments list shows the completion', async () => {
    await instructor.goto(`/org/${org.slug}/assignments`);
    const item = instructor.getByRole('list', { name: 'Assignments' }).getByRole('listitem').filter({ hasText: assignmentTitle });
    await item.getByText('1 of 1 completed').waitFor();
    await item.getByText('Team Cohort A').waitFor();
    assert.equal(await item.getByRole('progressbar', { name: `Completion of ${assignmentTitle}` }).getAttribute('aria-valuenow'), '1');
    await screenshot(instructor, '76-assignments-list', { fullPage: true });
  });

  it('the owner reads the audit log and filters it; the instructor may not', async () => {
    await owner.goto(`/org/${org.slug}`);
    await openSection(owner, 'Audit log');
    const entries = owner.getByRole('list', { name: 'Audit entries' });
    await entries.getByText('Cohort A').first().waitFor();
    await entries.getByText(people.learner.name).first().waitFor();
    await noSeriousAxe(owner, 'the audit log');
    await screenshot(owner, '77-audit', { fullPage: true });

    await owner.getByLabel('What').selectOption({ label: 'Teams' });
    await owner.getByRole('button', { name: 'Filter' }).click();
    await owner.waitForURL(/table=public\.teams/, { waitUntil: 'commit' });
    const items = entries.getByRole('listitem');
    await items.first().waitFor();
    assert.deepEqual(new Set((await items.allTextContents()).map((t) => /Teams/.test(t))), new Set([true]), 'only team changes are listed');
    assert.equal(await items.count(), 1, 'one team was created');
    await items.first().getByText('Igor Instructor').waitFor();
    // A filter that matches nothing says so.
    await owner.getByLabel('Change').selectOption({ label: 'Deleted' });
    await owner.getByRole('button', { name: 'Filter' }).click();
    await owner.getByText('No changes match these filters').waitFor();
    await screenshot(owner, '78-audit-filtered-empty');

    const denied = await instructor.goto(`/org/${org.slug}/audit`);
    assert.equal(denied?.status(), 403, 'the audit log answers 403 to an instructor');
    await instructor.getByRole('heading', { name: `You do not have permission to see the audit log of ${org.name}` }).waitFor();
    await instructor.getByText('You are an instructor there; owners and admins use this page.').waitFor();
    assert.equal(await instructor.getByRole('list', { name: 'Audit entries' }).count(), 0);
    assert.equal(await instructor.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Audit log' }).count(), 0, 'the menu does not offer it');
    await noSeriousAxe(instructor, 'the audit log without permission');
    await screenshot(instructor, '79-audit-no-permission');
  });

  it('a learner gets the no-permission page on every organisation page', async () => {
    const pages = [['', 'the overview'], ['/members', 'the members'], ['/teams', 'the teams and departments'], ['/assignments', 'the assignments'], ['/audit', 'the audit log']] as const;
    for (const [path, what] of pages) {
      const res = await learner.goto(`/org/${org.slug}${path}`);
      assert.equal(res?.status(), 403, `${path || '/'} answers 403 to a learner`);
      await learner.getByRole('heading', { name: `You do not have permission to see ${what} of ${org.name}` }).waitFor();
      await learner.getByText('You are a learner there').waitFor();
      assert.equal(await learner.getByRole('navigation', { name: 'Organisation' }).count(), 0, 'a learner is offered no organisation page');
      assert.equal(await learner.getByText('Cohort A').count(), 0, 'nothing of the page shows');
    }
    await noSeriousAxe(learner, 'the no-permission page');
    await screenshot(learner, '80-org-learner-no-permission');
    // An organisation they are not in (or that does not exist) is simply not found.
    const missing = await learner.goto(`/org/not-${org.slug}`);
    assert.equal(missing?.status(), 404);
    await learner.getByText('Organisation not found or no access').waitFor();
    await screenshot(learner, '80b-org-not-found');

    // Posting the forms directly (same origin, their own session) does no better.
    const post = (path: string, form: Record<string, string>) =>
      learner.context().request.post(`/org/${org.slug}${path}`, { form, headers: { origin: baseURL }, maxRedirects: 0 });
    const teamId = await serviceSelect<{ id: string }>(`teams?select=id&organization_id=eq.${org.id}&name=eq.Cohort%20A`);
    const sneaky = await post('/assignments?/create', { title: 'Sneaky', kind: 'quiz', exam: 'security', question_count: '5', pass_mark: '0', target: `team:${teamId[0]!.id}`, due: '2099-01-01T09:00' });
    assert.equal(sneaky.status(), 403, 'a learner cannot assign work');
    assert.equal((await post('/teams?/createTeam', { name: 'Sneaky team', kind: 'team', department: '', description: '' })).status(), 403, 'nor create a team');
    assert.deepEqual(await serviceSelect(`assignments?select=id&organization_id=eq.${org.id}&title=eq.Sneaky`), [], 'no assignment was created');
    assert.deepEqual(await serviceSelect(`teams?select=id&organization_id=eq.${org.id}&name=eq.Sneaky%20team`), [], 'no team was created');
  });

  it('the overview works on a 360 px phone in dark mode', async () => {
    const phone = await signIn(people.instructor.email, { width: 360, dark: true });
    for (const [path, name] of [['', '81-cohort-phone-dark'], ['/assignments', '82-assignments-phone-dark'], ['/teams', '83-teams-phone-dark']] as const) {
      await phone.goto(`/org/${org.slug}${path}`);
      await phone.getByRole('heading', { name: org.name, level: 1 }).waitFor();
      await screenshot(phone, name, { fullPage: true });
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path || '/'} scrolls sideways at 360 px by ${overflow}px`);
      await noSeriousAxe(phone, `${path || 'the overview'} at 360 px, dark`);
    }
  });
});
