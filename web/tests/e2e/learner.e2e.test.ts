// A new learner's core loop, in a real browser: sign up, confirm through the mail sink, start a
// quiz in one tap, answer, close the tab, resume, submit, and see the score, XP, a level-up and
// an achievement; the dashboard has changed. axe runs on every page; screenshots are artifacts.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { answerKey, resetArtifacts, createConfirmedUser, refreshLeaderboards, ensureBuild, latestMail, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe } from './harness.ts';

let app: App;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const email = `learner-${Date.now().toString(36)}@example.com`;
const password = 'correct-horse-42';
let key: Map<string, string>;
let resultsUrl = '';
let buildSeconds = 0;

/** Chooses the right option of the question on screen and waits until it is saved. */
async function answerShownQuestion(p: Page) {
  const stem = (await p.locator('#question-stem').textContent())?.trim() ?? '';
  const letter = key.get(stem);
  assert.ok(letter, `no answer key for "${stem}"`);
  const group = p.getByRole('group', { name: stem });
  await group.getByRole('radio').nth('ABCD'.indexOf(letter)).check();
  await p.getByText('Answer saved').waitFor();
}

describe('a new learner', { sequential: true }, () => {
  before(async () => {
    resetArtifacts();
    const t0 = performance.now();
    ensureBuild();
    buildSeconds = (performance.now() - t0) / 1000;
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    context = await browser.newContext({ baseURL: app.url, viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    key = await answerKey([]);
  });

  after(async () => {
    // For the record (TAP comment): what the build cost, 0 when the sources were unchanged.
    console.log(`e2e: build ${buildSeconds.toFixed(1)}s`);
    await browser?.close();
    await app?.stop();
  });

  it('sees what Ascend is on the landing page', async () => {
    const res = await page.goto('/');
    assert.match(res?.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(res?.headers()['referrer-policy'], 'strict-origin-when-cross-origin');
    await page.getByRole('heading', { name: /Pass your certification/ }).waitFor();
    await screenshot(page, '01-landing');
    await noSeriousAxe(page, 'the landing page');
  });

  it('is told what to fix, beside each field, when the sign-up form is incomplete', async () => {
    await page.getByRole('link', { name: 'Start free' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter an email address like you@example.com').waitFor();
    await page.getByText('Use at least 8 characters').waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), 'not-an-email', 'the input is kept');
    await screenshot(page, '02-signup-errors');
    await noSeriousAxe(page, 'the sign-up page with errors');
  });

  it('signs up and confirms through the link in the email', async () => {
    await page.getByLabel('Your name').fill('Ada Learner');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const mail = await latestMail(email, 'signup');
    assert.ok(mail.action_link, 'the email has a confirmation link');
    await page.goto(mail.action_link);
    await page.getByRole('heading', { name: 'Welcome to Ascend, Ada Learner!' }).waitFor();
    await screenshot(page, '03-dashboard-new');
    await noSeriousAxe(page, 'the new learner dashboard');
  });

  it('starts a quiz in one tap from the dashboard and answers as it goes', async () => {
    const t0 = Date.now();
    await page.getByRole('button', { name: /CompTIA Security\+/ }).click();
    await page.getByText('Question 1 of 10').waitFor();
    assert.ok(Date.now() - t0 < 10_000);
    await noSeriousAxe(page, 'a quiz question');
    for (let i = 1; i <= 4; i++) {
      await answerShownQuestion(page);
      if (i === 1) await screenshot(page, '04-quiz-question');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(`Question ${i + 1} of 10`).waitFor();
    }
    await page.getByText('4 of 10 answered', { exact: true }).waitFor();
  });

  it('closes the tab, comes back and continues where it stopped', async () => {
    const url = page.url();
    await page.close();
    page = await context.newPage();
    await page.goto('/app');
    await page.getByText('4 of 10 questions answered').waitFor();
    await screenshot(page, '05-dashboard-resume');
    await page.getByRole('link', { name: 'Continue quiz' }).click();
    await page.getByText('Question 5 of 10').waitFor();
    assert.match(page.url(), new RegExp(url.split('?')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // The earlier answers are still chosen.
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Question 4 of 10').waitFor();
    assert.equal(await page.getByRole('radio', { checked: true }).count(), 1);
    await page.getByRole('button', { name: 'Next' }).click();
    for (let i = 5; i <= 10; i++) {
      await page.getByText(`Question ${i} of 10`).waitFor();
      await answerShownQuestion(page);
      await page.getByRole('button', { name: i === 10 ? 'Review answers' : 'Next' }).click();
    }
    await page.getByRole('heading', { name: 'Review and submit' }).waitFor();
    await page.getByText('All 10 questions answered').waitFor();
  });

  it('confirms before submitting, then sees the score, XP, a level-up and an achievement', async () => {
    await page.getByRole('button', { name: 'Submit quiz' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Submit your quiz?' });
    await dialog.waitFor();
    await screenshot(page, '06-submit-confirm');
    await noSeriousAxe(page, 'the submit confirmation');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Perfect score!' }).waitFor();
    await page.getByText(/Level up! You are now level \d+/).waitFor();
    await page.getByText('Achievement unlocked', { exact: true }).first().waitFor();
    await page.getByText('Opening Move').first().waitFor();
    const xp = await page.locator('p.text-xp-strong').textContent();
    assert.match(xp ?? '', /^\+\d+$/);
    assert.ok(Number(xp!.slice(1)) >= 100, `XP earned ${xp}`);
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    resultsUrl = new URL(page.url()).pathname;
    assert.equal(await page.getByText('Your answer', { exact: true }).count(), 10);
    // The XP bar fills from the XP before the quiz (a tween of about a second, longer on a busy
    // machine): the screenshot waits until it shows the final figure.
    await page.waitForFunction(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label^="XP toward"]');
      return bar?.previousElementSibling?.lastElementChild?.textContent === `${Number(bar?.getAttribute('aria-valuenow')).toLocaleString()} XP`;
    });
    await screenshot(page, '07-results');
    await noSeriousAxe(page, 'the results page');
  });

  it('returns to a dashboard that has changed', async () => {
    await page.getByRole('link', { name: 'Back to dashboard' }).click();
    await page.getByRole('heading', { name: 'Hi Ada Learner' }).waitFor();
    await page.getByRole('button', { name: 'Start practice' }).waitFor();
    await page.getByText('Streak safe today', { exact: false }).waitFor();
    await page.getByText('Opening Move').first().waitFor();
    await page.getByText('CompTIA Security+').first().waitFor();
    await page.getByRole('link', { name: /CompTIA Security\+.*10 of 10 correct/ }).waitFor();
    await screenshot(page, '08-dashboard-after', { fullPage: true });
  });

  it('sees their row arrive on the leaderboard live, without reloading', async () => {
    await page.getByRole('link', { name: 'Leaderboards' }).first().click();
    await page.getByRole('heading', { name: 'Leaderboards' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await refreshLeaderboards();
    await page.getByRole('row', { name: /Ada Learner \(you\)/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the page was not reloaded');
    await screenshot(page, '09-leaderboard');
    await noSeriousAxe(page, 'the leaderboard');
  });

  it('fits a 360 px phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 760 });
    for (const [path, name] of [['/app', '10-phone-dashboard'], [resultsUrl, '10-phone-results'], ['/app/practice', '11-phone-practice']] as const) {
      await page.goto(path);
      await page.locator('main').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${path} is ${width}px wide`);
      await screenshot(page, name);
    }
    await noSeriousAxe(page, 'the practice setup');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('keeps the results private: another learner gets "not found"', async () => {
    const other = `other-${Date.now().toString(36)}@example.com`;
    await createConfirmedUser(other, password, 'Bo Other');
    const ctx = await browser.newContext({ baseURL: app.url });
    try {
      const p = await ctx.newPage();
      await p.goto('/login');
      await p.getByLabel('Email').fill(other);
      await p.getByLabel('Password').fill(password);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('heading', { name: 'Hi Bo Other' }).waitFor();
      for (const path of [resultsUrl, resultsUrl.replace('/results/', '/quiz/')]) {
        const res = await p.goto(path);
        assert.equal(res?.status(), 404, path);
        await p.getByRole('heading', { name: 'We could not find that page' }).waitFor();
        assert.equal(await p.getByText('Ada Learner').count(), 0);
      }
      await screenshot(p, '12-other-learner-404');
    } finally {
      await ctx.close();
    }
  });

  it('switches to dark mode, and the choice sticks', async () => {
    await page.goto('/app');
    const toggle = page.getByRole('button', { name: /theme \(switch to/ });
    await toggle.click(); // system → light
    // light → dark, clicked at once: the page switches and the browser keeps the last choice
    // itself (two posted forms could be answered out of order and keep "light").
    await page.getByRole('button', { name: /^Light theme/ }).click();
    await page.getByRole('button', { name: /^Dark theme/ }).waitFor();
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.className), 'dark');
    await screenshot(page, '13-dark-dashboard');
    await noSeriousAxe(page, 'the dashboard in dark mode');
    await page.goto(resultsUrl);
    await screenshot(page, '13-dark-results');
    await noSeriousAxe(page, 'the results in dark mode');
    await page.getByRole('button', { name: /^Dark theme/ }).click(); // back to system
    await page.getByRole('button', { name: /^System theme/ }).waitFor();
  });

  it('is told why a review quiz cannot start, beside the mode', async () => {
    await page.goto('/app/practice?exam=network');
    await page.getByLabel('Review mistakes').check();
    await page.getByRole('button', { name: 'Start quiz' }).click();
    await page.getByText('Nothing to review yet: you have no wrong answers in CompTIA Network+').waitFor();
    await screenshot(page, '12-practice-error');
  });

  it('signs out, and the dashboard then asks to sign in', async () => {
    await page.goto('/app');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto('/app');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await noSeriousAxe(page, 'the sign-in page');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('That email and password do not match').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Hi Ada Learner' }).waitFor();
  });

  it('signs in with a link from the email instead of the password', async () => {
    await page.goto('/app');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out').waitFor();
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('Check your email').waitFor();
    const mail = await latestMail(email, 'magiclink');
    await page.goto(mail.action_link!);
    await page.getByRole('heading', { name: 'Hi Ada Learner' }).waitFor();
    await screenshot(page, '15-dashboard-returning', { fullPage: true });
  });

  it('resets a forgotten password through the email link', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The sign-out is a form post: navigating before it is answered would abort it, and /login
    // would send the still signed-in learner on to /app.
    await page.getByText('You are signed out').waitFor();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(email);
    // Recovery and magic-link e-mails to one address share max_frequency (1 s in config.toml): on a
    // fast run the previous test's link was sent under a second ago and this one would get a 429.
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('Check your email').waitFor();
    const mail = await latestMail(email, 'recovery');
    await page.goto(mail.action_link!);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill(password + '!');
    await page.getByLabel('Repeat it').fill(password + '?');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await noSeriousAxe(page, 'the new password form');
    await page.getByLabel('New password').fill(password + '!');
    await page.getByLabel('Repeat it').fill(password + '!');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Your password was changed.').waitFor();
  });

  it('takes a quiz with the keyboard alone', async () => {
    await page.goto('/app');
    const start = page.getByRole('button', { name: 'Start practice' });
    await start.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Question 1 of 10').waitFor();
    await page.getByRole('radio').first().focus();
    await page.keyboard.press('ArrowDown'); // moves to and chooses B
    await page.getByText('Answer saved').waitFor();
    assert.equal(await page.getByRole('radio', { checked: true }).getAttribute('value'), 'B');
    await page.keyboard.press('Enter'); // submits the form: Next
    await page.getByText('Question 2 of 10').waitFor();
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert.equal(focused, 'step-heading', 'focus moves to the new question');
    await screenshot(page, '14-keyboard-quiz');
  });

  it('starts a timed quiz that replaces the unfinished one, and the old link says so', async () => {
    const unfinished = new URL(page.url()).pathname;
    await page.goto('/app/practice');
    await page.getByText('You have a CompTIA Security+ quiz in progress').waitFor();
    await page.getByLabel('5', { exact: true }).check();
    await page.getByLabel(/Timed, like the real exam/).check();
    await page.getByRole('button', { name: 'Start quiz' }).click();
    await page.getByText('Question 1 of 5').waitFor();
    await page.getByRole('timer', { name: /Time left 7:[0-9]{2}/ }).waitFor();
    await screenshot(page, '16-timed-quiz');
    await page.setViewportSize({ width: 360, height: 760 });
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, 'the quiz fits a phone');
    await screenshot(page, '16-phone-timed-quiz');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(unfinished);
    await page.getByRole('heading', { name: 'This quiz was replaced' }).waitFor();
    await noSeriousAxe(page, 'a replaced quiz');
  });

  it('takes a whole quiz with JavaScript turned off: every step is a plain form', async () => {
    const ctx = await browser.newContext({ baseURL: app.url, javaScriptEnabled: false });
    try {
      const p = await ctx.newPage();
      await p.goto('/login');
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill(password + '!');
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('heading', { name: 'Hi Ada Learner' }).waitFor();
      await p.goto('/app/practice?exam=a1102');
      await p.getByLabel('5', { exact: true }).check();
      await p.getByRole('button', { name: 'Start quiz' }).click();
      for (let i = 1; i <= 5; i++) {
        await p.getByText(`Question ${i} of 5`).waitFor();
        await p.getByRole('radio').first().check();
        await p.getByRole('button', { name: i === 5 ? 'Review answers' : 'Next' }).click();
      }
      await p.getByText('All 5 questions answered').waitFor();
      await p.getByRole('button', { name: 'Submit quiz' }).click();
      await p.getByRole('heading', { name: 'Review your answers' }).waitFor();
      assert.equal(await p.getByText('Your answer', { exact: true }).count(), 5);
      await screenshot(p, '17-no-javascript-results');
    } finally {
      await ctx.close();
    }
  });
});
