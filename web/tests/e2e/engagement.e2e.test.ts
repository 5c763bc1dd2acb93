// Beyond the core loop, as a learner uses it: a notification arrives live in the bell, the list
// marks read, settings persist, achievements and avatars show progress, and another learner sees
// none of it. axe on every page; screenshots are artifacts.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
let ada: BrowserContext;
let bob: BrowserContext;
let page: Page;
let bobPage: Page;
const stamp = Date.now().toString(36);
const people = {
  ada: { email: `ada-${stamp}@example.com`, name: 'Ada Notified', id: '' },
  bob: { email: `bob-${stamp}@example.com`, name: 'Bob Other', id: '' },
  olga: { email: `olga-${stamp}@example.com`, name: 'Olga Owner', id: '' },
};
let orgId = '';
const password = 'correct-horse-42';
const service = { apikey: env.serviceKey, authorization: `Bearer ${env.serviceKey}`, 'content-type': 'application/json' };

/** What an administrator (here the service role) does: a system message to one learner. */
async function sendNotification(userId: string, title: string, body: string): Promise<void> {
  const res = await fetch(`${env.apiUrl}/rest/v1/rpc/send_notification`, {
    method: 'POST',
    headers: service,
    body: JSON.stringify({ p_title: title, p_body: body, p_users: [userId] }),
  });
  if (!res.ok) throw new Error(`send_notification answered ${res.status}: ${await res.text()}`);
}

/** A person's own API session (what the app does on their behalf), for setting the scene fast. */
const tokens = new Map<string, string>();
async function tokenFor(email: string): Promise<string> {
  const cached = tokens.get(email);
  if (cached) return cached;
  const token = await accessTokenFor(email, password);
  tokens.set(email, token);
  return token;
}

async function api<T>(token: string | null, path: string, body?: unknown, method = 'POST', extra: Record<string, string> = {}): Promise<T> {
  const auth = token ? { apikey: env.anonKey, authorization: `Bearer ${token}` } : service;
  const res = await fetch(`${env.apiUrl}${path}`, {
    method,
    headers: { ...auth, 'content-type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function signIn(ctx: BrowserContext, email: string): Promise<Page> {
  return signInPage(ctx, email, password);
}

describe('a learner beyond the core loop', { sequential: true }, () => {
  before(async () => {
    // WEB_E2E_URL points at an already running app (a dev server) while iterating.
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    [browser, people.ada.id, people.bob.id, people.olga.id] = await Promise.all([
      launchBrowser(),
      createConfirmedUser(people.ada.email, password, people.ada.name),
      createConfirmedUser(people.bob.email, password, people.bob.name),
      createConfirmedUser(people.olga.email, password, people.olga.name),
    ]);
    ada = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
    bob = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
    ada.setDefaultTimeout(10_000);
    bob.setDefaultTimeout(10_000);
    page = await signIn(ada, people.ada.email);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sees a new notification arrive in the bell without reloading', async () => {
    const bell = page.getByRole('link', { name: /^Notifications, / });
    await bell.and(page.getByRole('link', { name: 'Notifications, none unread' })).waitFor();
    // The bell has joined the learner's private topic (and caught up).
    await page.locator('header a[data-live="true"]').waitFor();
    await sendNotification(people.ada.id, 'Exam day moved', 'The Security+ mock exam is now on Friday.');
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await page.getByText('Exam day moved').first().waitFor(); // the toast
    await screenshot(page, '20-bell-live');
  });

  it('opens the list from the bell, marks one read, and a second arrives live in the list', async () => {
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const list = page.getByRole('list', { name: 'Notifications' });
    await list.getByText('Exam day moved').waitFor();
    await page.getByText('1 unread', { exact: true }).waitFor();
    await noSeriousAxe(page, 'the notifications page');
    await page.getByRole('button', { name: 'Mark as read: Exam day moved' }).click();
    await page.getByText('All caught up.').waitFor();
    await page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

    await sendNotification(people.ada.id, 'New assignment: Week 2', 'Ports and protocols, due Monday.');
    await list.getByText('New assignment: Week 2').waitFor();
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await screenshot(page, '21-notifications');
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('All caught up.').waitFor();
    await page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
  });

  it('changes profile, e-mail preferences and privacy, sees errors beside fields, and finds them kept', async () => {
    await page.getByRole('button', { name: 'More pages' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await noSeriousAxe(page, 'the settings page');

    await page.getByLabel('Username').fill('no spaces');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Use letters, digits, dots, dashes and underscores only').waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'no spaces', 'the input is kept');
    await screenshot(page, '22-settings-error');

    await page.getByLabel('Display name').fill('Ada Renamed');
    await page.getByLabel('Username').fill(`ada_${stamp}`);
    await page.getByLabel('Time zone').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();

    await page.getByLabel('Achievements and level-ups').uncheck();
    await page.getByLabel('From').fill('22:00');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Set both the start and the end, or neither').waitFor();
    await page.getByLabel('Until').fill('07:00');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Notification preferences saved').waitFor();

    await page.getByRole('radio', { name: /^Private/ }).check();
    await page.getByLabel('Show me on leaderboards').uncheck();
    await page.getByRole('button', { name: 'Save privacy' }).click();
    await page.getByText('Privacy settings saved').waitFor();

    await page.reload();
    assert.equal(await page.getByLabel('Display name').inputValue(), 'Ada Renamed');
    assert.equal(await page.getByLabel('Username').inputValue(), `ada_${stamp}`);
    assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Paris');
    assert.equal(await page.getByLabel('Achievements and level-ups').isChecked(), false);
    assert.equal(await page.getByLabel('Streak reminders').isChecked(), true);
    assert.equal(await page.getByLabel('From').inputValue(), '22:00');
    assert.equal(await page.getByLabel('Until').inputValue(), '07:00');
    assert.equal(await page.getByRole('radio', { name: /^Private/ }).isChecked(), true);
    assert.equal(await page.getByLabel('Show me on leaderboards').isChecked(), false);
    await screenshot(page, '23-settings', { fullPage: true });
  });

  it('downloads their data as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data' }).click()]);
    assert.match(download.suggestedFilename(), /^ascend-data-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const body = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.ok(JSON.stringify(body).includes('Ada Renamed'), 'the export holds the profile');
  });

  it('sees achievements with progress and secret ones as a mystery, and equips an avatar', async () => {
    await page.goto('/app/achievements');
    await page.getByRole('heading', { name: 'Achievements', level: 1 }).waitFor();
    await page.getByText('Your first badge is one quiz away').waitFor();
    await page.getByRole('progressbar', { name: 'Warming Up progress' }).waitFor();
    assert.ok((await page.getByText('Secret achievement').count()) >= 1);
    await noSeriousAxe(page, 'the achievements page');
    await screenshot(page, '24-achievements');

    await page.getByRole('link', { name: 'Your avatars' }).click();
    await page.getByRole('heading', { name: 'Avatars', level: 1 }).waitFor();
    await noSeriousAxe(page, 'the avatars page');
    await page.getByText('Earn Opening Move to unlock').waitFor();
    await page.getByRole('button', { name: 'Equip Night Owl' }).click();
    await page.getByText('Wearing Night Owl').waitFor();
    await page.reload();
    await page.getByText('Wearing Night Owl').waitFor();
    await screenshot(page, '25-avatars');
  });

  it('keeps personal tasks: adds one, completes it, bins it and restores it', async () => {
    await page.goto('/app/tasks');
    await page.getByText('Nothing to do').waitFor();
    await noSeriousAxe(page, 'the tasks page (empty)');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByText('Say what the task is').waitFor();
    await page.getByLabel('New task').fill('Revise port numbers');
    await page.getByLabel('Priority').selectOption('high');
    await page.getByLabel('Due').fill('2030-01-15');
    await page.getByRole('button', { name: 'Add task' }).click();
    const list = page.getByRole('list', { name: 'Tasks' });
    await list.getByText('Revise port numbers').waitFor();
    await list.getByText(/Due in \d+/).waitFor();
    await screenshot(page, '28-tasks');
    await page.getByRole('button', { name: 'Complete: Revise port numbers' }).click();
    await page.getByText('Nothing to do').waitFor();
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Reopen: Revise port numbers' }).waitFor();
    await page.getByRole('button', { name: 'Delete: Revise port numbers' }).click();
    await page.getByText('Nothing done yet').waitFor();
    await page.getByRole('link', { name: 'Bin' }).click();
    await page.getByRole('button', { name: 'Restore: Revise port numbers' }).click();
    await page.getByText('The bin is empty').waitFor();
  });

  it('hears of an achievement live after a quiz, then reviews a missed question the next day', async () => {
    await page.goto('/app/review');
    await page.getByText('Nothing to review').waitFor();
    await noSeriousAxe(page, 'the review page (empty)');
    await page.locator('header a[data-live="true"]').waitFor();
    // Ada takes a 10-question quiz elsewhere (another tab, her phone) and gets everything wrong.
    const token = await tokenFor(people.ada.email);
    const quiz = await api<{ attempt_id: string; questions: { question_id: number; stem: string }[] }>(token, '/rest/v1/rpc/start_quiz', { p_exam: 'security', p_count: 10 });
    const key = new Map((await api<{ id: number; question_keys: { correct_answer: string } | { correct_answer: string }[] }[]>(null, `/rest/v1/questions?select=id,question_keys(correct_answer)&id=in.(${quiz.questions.map((q) => q.question_id).join(',')})`, undefined, 'GET')).map((r) => [r.id, (Array.isArray(r.question_keys) ? r.question_keys[0] : r.question_keys)?.correct_answer]));
    const wrong = (q: number) => ['A', 'B', 'C', 'D'].find((l) => l !== key.get(q))!;
    await api(token, '/rest/v1/rpc/submit_quiz', { p_attempt: quiz.attempt_id, p_answers: quiz.questions.map((q) => ({ question_id: q.question_id, answer: wrong(q.question_id) })) });
    await page.getByRole('link', { name: /^Notifications, [1-9]\d* unread$/ }).waitFor();
    await page.getByText('Achievement unlocked: Opening Move').first().waitFor();
    // A day passes: the cards made from the wrong answers fall due.
    await api(null, `/rest/v1/review_cards?user_id=eq.${people.ada.id}`, { due_at: new Date(Date.now() - 60_000).toISOString() }, 'PATCH');
    await page.reload();
    await page.getByText(/10 cards due now/).waitFor();
    await page.getByText('Show the answer').click();
    await page.getByText(/^Answer: [A-D]/).waitFor();
    await page.getByText(/last time you chose [A-D]/).waitFor();
    await noSeriousAxe(page, 'a review card');
    await screenshot(page, '29-review-card');
    await page.getByRole('button', { name: /^4 · Good/ }).click();
    await page.getByText('Saved. This card comes back tomorrow.').waitFor();
    await page.getByText(/9 cards due now/).waitFor();
  });

  it('keeps a bookmarked question with a note', async () => {
    const token = await tokenFor(people.ada.email);
    const [card] = await api<{ question_id: number }[]>(token, '/rest/v1/review_cards?select=question_id&limit=1', undefined, 'GET');
    await api(token, '/rest/v1/bookmarks', { question_id: card!.question_id });
    await page.goto('/app/study');
    await page.getByText(/Bookmarked/).waitFor();
    await page.getByLabel('Note').fill('Port 443 is HTTPS; 22 is SSH.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Note saved', { exact: true }).waitFor();
    await page.reload();
    assert.equal(await page.getByLabel('Note').inputValue(), 'Port 443 is HTTPS; 22 is SSH.');
    await noSeriousAxe(page, 'bookmarks and notes');
    await screenshot(page, '30-study');
  });

  it('accepts an invitation from the list, then sees the assignment it brings', async () => {
    const owner = await tokenFor(people.olga.email);
    const org = await api<{ id: string }>(owner, '/rest/v1/rpc/create_organization', { p_name: 'Acme Academy', p_slug: `acme-${stamp}` });
    orgId = org.id;
    await page.goto('/app/invitations');
    await page.getByText('No open invitations').waitFor();
    await page.locator('header a[data-live="true"]').waitFor();
    await api(owner, '/rest/v1/rpc/invite_to_organization', { p_organization: orgId, p_email: people.ada.email, p_role: 'learner' });
    await page.getByText('Invitation to join Acme Academy').first().waitFor(); // the live toast
    await page.reload();
    await noSeriousAxe(page, 'the invitations page');
    await screenshot(page, '31-invitations');
    await page.getByRole('button', { name: 'Accept the invitation to Acme Academy' }).click();
    await page.getByText('You joined Acme Academy as learner').waitFor();
    await page.getByText('No open invitations').waitFor();

    // The assignment notifies Ada live: wait for its toast here, so it cannot arrive (and fade in)
    // while axe measures the assignments page's contrast.
    await page.locator('header a[data-live="true"]').waitFor();
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await api(owner, '/rest/v1/assignments', { organization_id: orgId, title: 'Week 1: threats', exam_id: 'security', question_count: 10, pass_mark: 70, assignee_user_id: people.ada.id, due_at: due });
    await page.getByText('New assignment: Week 1: threats').first().waitFor();
    await page.goto('/app/assignments');
    await page.getByText('Week 1: threats').waitFor();
    await page.getByText(/Acme Academy · CompTIA Security\+ · 10 questions · pass at 70%/).waitFor();
    await page.getByRole('button', { name: 'Start Week 1: threats' }).waitFor();
    await noSeriousAxe(page, 'the assignments page');
    await screenshot(page, '32-assignments');
  });

  it('another learner sees none of this: not the notifications, not the settings, not live', async () => {
    const p = (bobPage = await signIn(bob, people.bob.email));
    await p.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
    await p.goto('/app/notifications');
    await p.getByText('No notifications yet').waitFor();
    assert.equal(await p.getByText(/Exam day moved|Week 2/).count(), 0);
    await p.goto('/app');
    await p.locator('header a[data-live="true"]').waitFor();
    await sendNotification(people.ada.id, 'Only for Ada', 'Private to her.');
    // Then one for Bob, pushed after Ada's on the same stream: once his arrives, Ada's would have
    // reached him too had it leaked (its toast lasts seconds), so no fixed wait is needed.
    await sendNotification(people.bob.id, 'Only for Bob', 'Private to him.');
    await p.getByText('Only for Bob').first().waitFor(); // his toast
    await p.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    assert.equal(await p.getByText('Only for Ada').count(), 0, "Ada's notification never reaches Bob's page live");
    await page.goto('/app/notifications');
    await page.getByText('Only for Ada').waitFor();
    await p.goto('/app/notifications');
    await p.getByRole('list', { name: 'Notifications' }).getByText('Only for Bob').waitFor();
    assert.equal(await p.getByText(/Exam day moved|Only for Ada|Week 2/).count(), 0);
    await p.goto('/app/settings');
    assert.equal(await p.getByLabel('Display name').inputValue(), people.bob.name);
    assert.equal(await p.getByLabel('Time zone').inputValue(), 'UTC');
    assert.equal(await p.getByLabel('Achievements and level-ups').isChecked(), true);
    assert.equal(await p.getByText('Ada Renamed').count(), 0);
  });

  it('joins an organisation through an invitation link', async () => {
    const owner = await tokenFor(people.olga.email);
    const inv = await api<{ token: string }>(owner, '/rest/v1/rpc/invite_to_organization', { p_organization: orgId, p_role: 'learner' });
    // Signed out, the link asks to sign in first (and comes back here).
    const anon = await browser.newContext({ baseURL });
    const visitor = await anon.newPage();
    await visitor.goto(`/invite/${inv.token}`);
    const signInLink = visitor.getByRole('link', { name: 'Sign in to answer' });
    assert.match((await signInLink.getAttribute('href')) ?? '', new RegExp(`^/login\\?next=%2Finvite%2F${inv.token}$`));
    await anon.close();
    // Bob, signed in, opens it.
    await bobPage.goto(`/invite/${inv.token}`);
    await bobPage.getByRole('heading', { name: 'You are invited' }).waitFor();
    await noSeriousAxe(bobPage, 'an invitation link');
    await bobPage.getByRole('button', { name: 'Accept invitation' }).click();
    await bobPage.getByRole('heading', { name: 'Welcome to Acme Academy' }).waitFor();
    await screenshot(bobPage, '33-invite-accepted');
    await bobPage.reload(); // the link works once
    await bobPage.getByRole('button', { name: 'Accept invitation' }).click();
    await bobPage.getByText('This invitation is no longer open').waitFor();
  });

  it('uses the notifications and settings on a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/app/notifications');
    await page.getByText('Only for Ada').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(page, '26-notifications-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/app/settings');
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow2 <= 0, `settings: no sideways scrolling (overflow ${overflow2}px)`);
    await screenshot(page, '27-settings-phone-dark');
    await noSeriousAxe(page, 'settings on a phone, dark');
    await page.goto('/app/avatars');
    await screenshot(page, '34-avatars-phone-dark');
  });

  it('deletes an account only after DELETE is typed, and is signed out', async () => {
    await bobPage.goto('/app/settings');
    const confirm = bobPage.getByLabel('Type DELETE to confirm');
    await confirm.fill('delete');
    await confirm.press('Enter');
    await bobPage.getByText('Type DELETE in capital letters to confirm').waitFor();
    await confirm.fill('DELETE');
    await bobPage.getByRole('button', { name: 'Delete my account' }).click();
    await bobPage.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
    await noSeriousAxe(bobPage, 'the account-deleted page');
    await bobPage.goto('/app/settings');
    await bobPage.waitForURL(/\/login/);
    const res = await fetch(`${env.apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: people.bob.email, password }),
    });
    assert.equal(res.status, 400, 'the account no longer signs in');
  });
});
