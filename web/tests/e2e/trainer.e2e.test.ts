// The AI trainer (issue 11): a trainer session streams and produces a report. A learner starts a
// session filed under their organisation, watches the AI customer's reply arrive token by token
// (the fake OpenAI-compatible provider, started here, streams it slowly over real SSE through
// the ai-trainer function), reloads mid-reply and finds the conversation, the reply and the clock
// where they were, ends the session, reads the rubric report and downloads its PDF. The
// organisation's instructor reads the report and leaves a note the learner then sees. Another
// learner of the same organisation opens neither the session, nor the report, nor its PDF.
// axe and screenshots on every page.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { startFakeProvider, type FakeChatRequest, type FakeProvider } from '../../../functions/_shared/ai/fake_provider.ts';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, WEB, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, rpc, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
let fake: FakeProvider;
const contexts: BrowserContext[] = [];
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  owner: { email: `otto-${stamp}@example.com`, name: 'Otto Owner' },
  instructor: { email: `iris-${stamp}@example.com`, name: 'Iris Instructor' },
  learner: { email: `tara-${stamp}@example.com`, name: 'Tara Trainee' },
  other: { email: `ben-${stamp}@example.com`, name: 'Ben Bystander' },
};
const org = { name: `Salon Academy ${stamp}`, slug: `salon-${stamp}`, id: '' };

const FIRST_REPLY = 'Hmm, your price is higher than I expected. Why should I pay more here than at the shop down the road?';
const SECOND_REPLY = 'Five years of warranty does sound reassuring. What would the first appointment involve, exactly?';
const GREETING = 'Good afternoon and welcome to our studio. What brings you in today?';
const ANSWER = 'Our price includes a five year warranty and free fittings. Shall we book your first appointment?';

/** The fake model: the customer's two lines, then a rubric that quotes the learner's greeting. */
function respond(req: FakeChatRequest): string {
  if (req.response_format?.json_schema?.name === 'training_report') {
    return JSON.stringify({
      summary: 'A warm opening and a clear answer on price; the close came late.',
      criteria: ['rapport', 'discovery', 'solution', 'objection_handling', 'closing', 'communication'].map((key) => ({
        key,
        score: key === 'closing' ? 3 : 4,
        evidence: key === 'rapport' ? [{ quote: 'Good afternoon and welcome to our studio' }] : key === 'objection_handling' ? [{ quote: 'five year warranty' }] : [],
        comment: key === 'closing' ? 'Ask for the appointment earlier.' : `Good ${key.replace('_', ' ')}.`,
      })),
      strengths: ['Friendly, confident opening'],
      improvements: ['Propose the next step sooner'],
    });
  }
  const learnerLines = req.messages.filter((m) => m.role === 'user').length;
  return learnerLines <= 1 ? FIRST_REPLY : SECOND_REPLY;
}

// The functions of this stack instance read AI_* from .supabase/<instance>/functions.env (the
// gateway restarts them when it changes): pointed at the fake for this file, restored after.
const secretsFile = join(WEB, '..', '.supabase', process.env.STACK_INSTANCE ?? 'test', 'functions.env');
const savedSecrets = existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : null;

async function signIn(email: string, opts: { width?: number; dark?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, viewport: { width: opts.width ?? 1280, height: 860 }, colorScheme: opts.dark ? 'dark' : 'light', acceptDownloads: true });
  ctx.setDefaultTimeout(15_000);
  contexts.push(ctx);
  return signInPage(ctx, email, password);
}

async function noSidewaysScroll(p: Page, where: string) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

/** Seconds on the session clock ("4:05 left"), read from its accessible name. */
async function clockSeconds(p: Page): Promise<number> {
  const label = (await p.getByRole('timer').getAttribute('aria-label')) ?? '';
  const m = /(\d+):(\d\d) left/.exec(label);
  assert.ok(m, `the clock says "${label}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The texts the customer's streaming bubble showed, sampled in the page on every DOM change until
 * the whole reply is in the conversation: how the reply arrived, as the learner saw it. (Plain
 * JavaScript in a string: tsx would wrap a TypeScript function's inner functions in a helper the
 * page does not have.)
 */
const WATCH_REPLY = `(full) => new Promise((resolve, reject) => {
  const seen = [];
  const list = document.querySelector('ol[aria-label="Conversation"]');
  if (!list) return reject(new Error('no conversation on the page'));
  let observer;
  const look = () => {
    const bubble = list.querySelector('[aria-busy="true"]');
    const text = bubble ? (bubble.textContent || '').replace(/^\\s*Customer/, '').trim() : '';
    // Before the first token the bubble says the customer is replying: not part of the reply.
    if (text && !text.startsWith('The customer is replying') && text !== seen[seen.length - 1]) seen.push(text);
    if (!bubble && (list.textContent || '').includes(full)) {
      observer.disconnect();
      resolve(seen);
    }
  };
  observer = new MutationObserver(look);
  observer.observe(list, { childList: true, subtree: true, characterData: true });
  setTimeout(() => {
    observer.disconnect();
    reject(new Error('the reply did not finish; seen: ' + JSON.stringify(seen.slice(-3))));
  }, 20000);
  look();
})`;

function watchReply(p: Page, reply: string): Promise<string[]> {
  return p.evaluate(`(${WATCH_REPLY})(${JSON.stringify(reply)})`) as Promise<string[]>;
}

describe('AI trainer', { sequential: true }, () => {
  let learner: Page;
  let sessionId = '';

  before(async () => {
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    // ~30 chunks of 4 characters, 90 ms apart: a reply takes about 2.5 s to arrive.
    fake = await startFakeProvider({ respond, chunkSize: 4, chunkDelayMs: 90 });
    writeFileSync(secretsFile, `AI_BASE_URL=${fake.url}\nAI_API_KEY=${fake.apiKey}\nAI_MODEL=fake-trainer-model\nAI_TIMEOUT_MS=15000\n`);
    [browser] = await Promise.all([launchBrowser(), ...Object.values(people).map((p) => createConfirmedUser(p.email, password, p.name))]);
    // The scene: Otto's organisation with Iris as its instructor and Tara and Ben as learners,
    // each invited and accepting.
    const tokens = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([k, p]) => [k, await accessTokenFor(p.email, password)] as const)));
    org.id = (await rpc<{ id: string }>(tokens.owner!, 'create_organization', { p_name: org.name, p_slug: org.slug })).id;
    for (const [who, role] of [['instructor', 'instructor'], ['learner', 'learner'], ['other', 'learner']] as const) {
      const inv = await rpc<{ invitation_id: string }>(tokens.owner!, 'invite_to_organization', { p_organization: org.id, p_email: people[who].email, p_role: role });
      await rpc(tokens[who]!, 'accept_invitation', { p_invitation: inv.invitation_id });
    }
  });

  after(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
    await fake?.close();
    if (savedSecrets === null) rmSync(secretsFile, { force: true });
    else writeFileSync(secretsFile, savedSecrets);
  });

  it('a new learner finds the trainer in the menu, sees the empty state and starts a session', async () => {
    learner = await signIn(people.learner.email);
    await learner.getByRole('button', { name: 'More pages' }).click();
    await learner.getByRole('menuitem', { name: 'AI trainer' }).click();
    await learner.waitForURL('**/app/trainer');
    await learner.getByRole('heading', { name: 'AI sales trainer', level: 1 }).waitFor();
    await learner.getByText('No sessions yet').waitFor();
    assert.equal(await learner.getByLabel('Share the report with').inputValue(), org.id, 'filed under the organisation by default');
    await noSeriousAxe(learner, 'the trainer start page');
    await screenshot(learner, '80-trainer-start', { fullPage: true });

    await learner.getByRole('radio', { name: /Sales Objections/ }).check();
    await learner.getByRole('radio', { name: /Expert/ }).check();
    await learner.getByRole('radio', { name: '5 min', exact: true }).check();
    await learner.getByRole('button', { name: 'Start session' }).click();
    await learner.waitForURL(/\/app\/trainer\/[0-9a-f-]{36}$/);
    sessionId = learner.url().split('/').at(-1)!;
    await learner.getByRole('heading', { name: 'Sales Objections', level: 1 }).waitFor();
    await learner.getByText('The customer has just walked in.').waitFor();
    const left = await clockSeconds(learner);
    assert.ok(left > 280 && left <= 300, `a 5-minute session starts with ${left} s`);
    await noSeriousAxe(learner, 'a new session');
  });

  it('the customer\'s reply streams in token by token, and the clock runs', async () => {
    const before = await clockSeconds(learner);
    await learner.getByLabel('Your reply').fill(GREETING);
    const arrival = watchReply(learner, FIRST_REPLY);
    await learner.getByLabel('Your reply').press('Enter');
    const seen = await arrival;
    // Progressively: many growing prefixes of the reply, not the whole text at once.
    assert.ok(seen.length >= 8, `the bubble changed ${seen.length} times: ${JSON.stringify(seen)}`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.startsWith(seen[i - 1]!), `"${seen[i]}" continues "${seen[i - 1]}"`);
    assert.ok(seen[0]!.length < FIRST_REPLY.length / 2, `the first text seen was already "${seen[0]}"`);
    const conversation = learner.getByRole('list', { name: 'Conversation' });
    await conversation.getByText(GREETING).waitFor();
    await conversation.getByText(FIRST_REPLY).waitFor();
    assert.ok((await clockSeconds(learner)) < before, 'the clock counted down while the customer spoke');
    assert.equal(fake.requests.at(-1)?.stream, true);
    assert.equal(await learner.getByLabel('Your reply').inputValue(), '', 'the composer is empty again');
    await noSeriousAxe(learner, 'the conversation');
    await screenshot(learner, '81-trainer-streamed', { fullPage: true });
  });

  it('a provider refusal shows what failed and gives the line back to send again', async () => {
    fake.failNext({ status: 429, message: 'Rate limit reached for requests' });
    await learner.getByLabel('Your reply').fill(ANSWER);
    await learner.getByRole('button', { name: 'Send' }).click();
    await learner.getByRole('alert').filter({ hasText: 'The AI customer is busy right now. Wait a moment and send it again.' }).waitFor();
    assert.equal(await learner.getByLabel('Your reply').inputValue(), ANSWER, 'the line is back in the composer');
    assert.equal(await learner.getByLabel('Your reply').getAttribute('aria-invalid'), 'true');
    assert.equal(await learner.getByRole('list', { name: 'Conversation' }).getByText(ANSWER).count(), 0, 'nothing was stored');
    await noSeriousAxe(learner, 'a refused reply');
    await screenshot(learner, '81b-trainer-provider-refused');
  });

  it('a reload in the middle of a reply resumes the conversation, the reply and the clock', async () => {
    await learner.getByRole('button', { name: 'Send' }).click();
    // Read in the same look that sees the reply begin: a second look could find the reply already
    // complete (its bubble gone) on a busy machine.
    const midway = await learner
      .waitForFunction(() => {
        const text = document.querySelector('ol[aria-label="Conversation"] [aria-busy="true"]')?.textContent ?? '';
        return /Five years/.test(text) ? text : null;
      })
      .then(async (h) => String(await h.jsonValue()));
    assert.ok(!midway.includes(SECOND_REPLY), 'the reload comes before the reply is complete');
    await screenshot(learner, '82-trainer-mid-reply');
    const before = await clockSeconds(learner);
    await learner.reload();

    const conversation = learner.getByRole('list', { name: 'Conversation' });
    await conversation.getByText(GREETING).waitFor();
    await conversation.getByText(ANSWER).waitFor();
    // The function finished and stored the reply without the page: it shows once stored.
    await conversation.getByText(SECOND_REPLY).waitFor();
    const after = await clockSeconds(learner);
    assert.ok(after <= before && after > before - 30, `the clock resumed at ${after} s (it showed ${before} s before the reload)`);
    // …and keeps counting down.
    await learner.waitForFunction((s) => {
      const m = /(\d+):(\d\d) left/.exec(document.querySelector('[role="timer"]')?.getAttribute('aria-label') ?? '');
      return m !== null && Number(m[1]) * 60 + Number(m[2]) < s;
    }, after);
    assert.equal(await conversation.getByText(SECOND_REPLY).count(), 1, 'the reply is there once');
    await noSeriousAxe(learner, 'the resumed conversation');
    await screenshot(learner, '83-trainer-resumed', { fullPage: true });
    await learner.setViewportSize({ width: 360, height: 740 });
    await noSidewaysScroll(learner, 'the conversation at 360 px');
    await screenshot(learner, '83a-trainer-conversation-360');
    await learner.setViewportSize({ width: 1280, height: 860 });
  });

  it('ending the session produces the report with its rubric, XP and a PDF', async () => {
    // The provider fails the first time: the learner is told, the conversation stays, ending again works.
    fake.failNext({ status: 500, message: 'The server had an error while processing your request.' });
    learner.once('dialog', (d) => void d.accept());
    await learner.getByRole('button', { name: 'End session' }).click();
    await learner.getByRole('alert').filter({ hasText: 'The report could not be written: the AI service failed. Your conversation is saved: try again.' }).waitFor();
    assert.match(learner.url(), new RegExp(`/app/trainer/${sessionId}$`));
    await learner.getByRole('list', { name: 'Conversation' }).getByText(SECOND_REPLY).waitFor();
    await screenshot(learner, '83b-trainer-end-failed');
    learner.once('dialog', (d) => void d.accept());
    await learner.getByRole('button', { name: 'End session' }).click();
    await learner.waitForURL(`**/app/trainer/reports/${sessionId}`);
    await learner.getByRole('heading', { name: 'Training report: Sales Objections', level: 1 }).waitFor();
    const rubric = learner.getByRole('list', { name: 'Rubric scores' });
    assert.equal(await rubric.getByRole('listitem').count(), 6);
    const rapport = rubric.getByRole('listitem').filter({ hasText: 'Opening and rapport' });
    await rapport.getByText('Good afternoon and welcome to our studio').waitFor();
    assert.equal(await rapport.getByRole('progressbar').getAttribute('aria-valuetext'), '4 of 5');
    // Closing quoted nothing the learner said: kept at 3 by the model, capped at 1 by the rubric.
    const closing = rubric.getByRole('listitem').filter({ hasText: 'Closing and next steps' });
    assert.equal(await closing.getByRole('progressbar').getAttribute('aria-valuetext'), '1 of 5');
    await learner.getByText('A warm opening and a clear answer on price').waitFor();
    await learner.getByText(/^\+\d+ XP earned$/).waitFor();
    await learner.getByText('Propose the next step sooner').waitFor();
    await learner.getByText('No notes yet').waitFor();
    await noSeriousAxe(learner, 'the report');
    await screenshot(learner, '84-trainer-report', { fullPage: true });

    const [download] = await Promise.all([learner.waitForEvent('download'), learner.getByRole('link', { name: 'Download PDF' }).click()]);
    assert.equal(download.suggestedFilename(), `training-report-${sessionId}.pdf`);
    const bytes = readFileSync((await download.path())!);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.subarray(-1024).toString('latin1').includes('%%EOF'), 'a complete PDF');

    await learner.goto('/app/trainer');
    const row = learner.getByRole('list', { name: 'Your sessions' }).getByRole('listitem').filter({ hasText: 'Sales Objections' });
    await row.getByText('Report ready').waitFor();
    await row.getByRole('link', { name: /^Report: Sales Objections/ }).waitFor();
    await learner.setViewportSize({ width: 360, height: 800 });
    await noSidewaysScroll(learner, 'the trainer page at 360 px');
    await screenshot(learner, '85-trainer-list-360', { fullPage: true });
    await learner.goto(`/app/trainer/reports/${sessionId}`);
    await noSidewaysScroll(learner, 'the report at 360 px');
    await screenshot(learner, '85b-trainer-report-360', { fullPage: true });
    await learner.setViewportSize({ width: 1280, height: 860 });
  });

  it('the instructor reads the report under the organisation and leaves a note the learner sees', async () => {
    const instructor = await signIn(people.instructor.email);
    await instructor.goto(`/org/${org.slug}`);
    await instructor.getByRole('link', { name: 'Training reports' }).click();
    await instructor.waitForURL(`**/org/${org.slug}/trainer`);
    const reports = instructor.getByRole('list', { name: 'Training reports' });
    await reports.getByText(people.learner.name).waitFor();
    await noSeriousAxe(instructor, 'the organisation\'s training reports');
    await screenshot(instructor, '86-org-trainer-reports', { fullPage: true });

    await instructor.getByRole('link', { name: `Open the report of ${people.learner.name}: Sales Objections` }).click();
    await instructor.getByRole('heading', { name: `${people.learner.name}: Sales Objections`, level: 2 }).waitFor();
    assert.equal(await instructor.getByRole('list', { name: 'Rubric scores' }).getByRole('listitem').count(), 6);
    await instructor.getByRole('button', { name: 'Add note' }).click();
    await instructor.getByText('Write a note first').waitFor();
    await instructor.getByLabel(`Add a note for ${people.learner.name}`).fill('Close earlier next time: ask for the appointment after the warranty.');
    await instructor.getByRole('button', { name: 'Add note' }).click();
    const notes = instructor.getByRole('list', { name: 'Instructor notes' });
    await notes.getByText('Close earlier next time').waitFor();
    await notes.getByText(people.instructor.name).waitFor();
    assert.equal(await instructor.getByLabel(`Add a note for ${people.learner.name}`).inputValue(), '', 'the form is cleared');
    await noSeriousAxe(instructor, 'the report as the instructor');
    await screenshot(instructor, '87-org-trainer-report-note', { fullPage: true });
    const pdf = await instructor.request.get(`/app/trainer/reports/${sessionId}/pdf`);
    assert.equal(pdf.status(), 200, 'staff download the PDF too');

    await learner.reload();
    await learner.getByRole('list', { name: 'Instructor notes' }).getByText('Close earlier next time').waitFor();
  });

  it('another learner of the organisation cannot open the session, the report, its PDF or the organisation\'s reports', async () => {
    const other = await signIn(people.other.email, { width: 360, dark: true });
    const session = await other.goto(`/app/trainer/${sessionId}`);
    assert.equal(session?.status(), 404);
    await other.getByText('Training session not found').waitFor();
    assert.equal(await other.getByText(GREETING).count(), 0);
    await noSeriousAxe(other, 'the not-found page');
    await screenshot(other, '88-trainer-other-learner-404');
    const report = await other.goto(`/app/trainer/reports/${sessionId}`);
    assert.equal(report?.status(), 404);
    await other.getByText('Training report not found').waitFor();
    assert.equal(await other.getByText('A warm opening').count(), 0);
    const pdf = await other.request.get(`/app/trainer/reports/${sessionId}/pdf`);
    assert.equal(pdf.status(), 404);
    assert.notEqual((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    const orgPage = await other.goto(`/org/${org.slug}/trainer/${sessionId}`);
    assert.equal(orgPage?.status(), 403, 'a learner of the organisation gets no permission, before the session is even looked up');
    await other.getByRole('heading', { name: `You do not have permission to see the training reports of ${org.name}` }).waitFor();
    assert.equal(await other.getByText('A warm opening').count(), 0);
    // Their own trainer page shows their (empty) history, not Tara's.
    await other.goto('/app/trainer');
    await other.getByText('No sessions yet').waitFor();
    await noSeriousAxe(other, 'the trainer start page (360 px, dark)');
    await screenshot(other, '89-trainer-other-empty-360-dark', { fullPage: true });
  });
  it('when the clock runs out the composer closes, and ending needs no confirmation', async () => {
    // The page's clock, fast-forwarded: the server's own clock is not moved (its 410 for a late
    // line is proven in tests/functions/ai-trainer.test.ts).
    await learner.clock.install();
    await learner.goto('/app/trainer');
    await learner.getByRole('radio', { name: /General Sales/ }).check();
    await learner.getByRole('radio', { name: '5 min', exact: true }).check();
    await learner.getByRole('button', { name: 'Start session' }).click();
    await learner.waitForURL(/\/app\/trainer\/[0-9a-f-]{36}$/);
    const id = learner.url().split('/').at(-1)!;
    assert.notEqual(id, sessionId);
    await learner.getByLabel('Your reply').waitFor();
    await learner.clock.fastForward('05:01');
    await learner.getByRole('timer', { name: 'Time left: Time is up' }).waitFor();
    await learner.getByText('End the session to get your report.', { exact: true }).waitFor();
    // …and a screen reader hears it once, from the live region.
    assert.equal(await learner.getByText('Time is up. End the session to get your report.').count(), 1);
    assert.equal(await learner.getByLabel('Your reply').count(), 0, 'no composer once time is up');
    await noSeriousAxe(learner, 'a session whose time is up');
    await screenshot(learner, '8a-trainer-time-up');
    let asked = false;
    learner.once('dialog', (d) => {
      asked = true;
      void d.dismiss();
    });
    await learner.getByRole('button', { name: 'End session' }).click();
    await learner.waitForURL(`**/app/trainer/reports/${id}`);
    assert.equal(asked, false, 'no "are you sure" when time is up');
    await learner.getByText('No XP earned').waitFor();
  });
});
