// Organisation admin (issue 11): an owner invites a learner from /org/[slug]/members, the learner accepts
// on /app/invitations and shows up as a member; an instructor sees the members but no invite
// form or controls; a learner gets "no permission"; an unknown organisation is "not found". axe on the page; screenshots.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, it } from 'vitest';
import { accessTokenFor, createConfirmedUser, ensureBuild, env, launchBrowser, screenshot, startApp, type App, type Browser, type BrowserContext, type Page, noSeriousAxe, rpc, signInPage } from './harness.ts';

let app: App | null = null;
let baseURL = '';
let browser: Browser;
const contexts: BrowserContext[] = [];
const stamp = Date.now().toString(36);
const password = 'correct-horse-42';
const people = {
  owner: { email: `olga-${stamp}@example.com`, name: 'Olga Owner' },
  instructor: { email: `ivan-${stamp}@example.com`, name: 'Ivan Instructor' },
  learner: { email: `lena-${stamp}@example.com`, name: 'Lena Learner' },
};
const org = { name: `Orbit Academy ${stamp}`, slug: `orbit-${stamp}`, id: '' };

async function signIn(email: string, opts: { width?: number; dark?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, viewport: { width: opts.width ?? 1280, height: 860 }, colorScheme: opts.dark ? 'dark' : 'light' });
  ctx.setDefaultTimeout(10_000);
  contexts.push(ctx);
  return signInPage(ctx, email, password);
}

describe('organisation admin', { sequential: true }, () => {
  let owner: Page;

  before(async () => {
    if (process.env.WEB_E2E_URL) baseURL = process.env.WEB_E2E_URL;
    else {
      ensureBuild();
      app = await startApp();
      baseURL = app.url;
    }
    [browser] = await Promise.all([launchBrowser(), ...Object.values(people).map((p) => createConfirmedUser(p.email, password, p.name))]);
    // The scene: Olga's organisation, with Ivan already its instructor (invited and accepted).
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

  it('the owner finds the organisation in the More menu and invites a learner, with errors beside the field', async () => {
    owner = await signIn(people.owner.email);
    await owner.getByRole('button', { name: 'More pages' }).click();
    await owner.getByRole('menuitem', { name: org.name }).click();
    await owner.waitForURL(`**/org/${org.slug}`);
    await owner.getByRole('heading', { name: org.name, level: 1 }).waitFor();
    await owner.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Members' }).click();
    await owner.waitForURL(`**/org/${org.slug}/members`);
    const members = owner.getByRole('list', { name: 'Members' });
    await members.getByText(people.instructor.name).waitFor();
    await noSeriousAxe(owner, 'the organisation page');

    const invite = owner.getByRole('button', { name: 'Send invitation' });
    await owner.getByLabel('E-mail').fill('not-an-address');
    await invite.click();
    await owner.getByText('Enter a valid e-mail address').waitFor();
    assert.equal(await owner.getByLabel('E-mail').getAttribute('aria-invalid'), 'true');
    assert.equal(await owner.getByLabel('E-mail').inputValue(), 'not-an-address');

    await owner.getByLabel('E-mail').fill(people.learner.email);
    await owner.getByLabel('Role', { exact: true }).selectOption('learner');
    await invite.click();
    await owner.getByText(`Invitation sent to ${people.learner.email}`).waitFor();
    const invitations = owner.getByRole('list', { name: 'Invitations' });
    await invitations.getByText(people.learner.email).waitFor();
    await noSeriousAxe(owner, 'the organisation page with an invitation');

    // An address with no account gets the very same answer; its invitation can be revoked.
    const ghost = `ghost-${stamp}@example.com`;
    await owner.getByLabel('E-mail').fill(ghost);
    await invite.click();
    await owner.getByText(`Invitation sent to ${ghost}`).waitFor();
    await owner.getByRole('button', { name: `Revoke the invitation for ${ghost}` }).click();
    await owner.getByText('Invitation revoked').first().waitFor();
    await invitations.getByRole('listitem').filter({ hasText: ghost }).getByText('revoked', { exact: true }).waitFor();
    await screenshot(owner, '60-org-owner-invited', { fullPage: true });
  });

  it('the learner accepts on /app/invitations and the owner sees them as a member', async () => {
    const learner = await signIn(people.learner.email);
    await learner.goto('/app/invitations');
    await learner.getByRole('button', { name: `Accept the invitation to ${org.name}` }).click();
    await learner.getByText(`You joined ${org.name} as learner`).first().waitFor();

    await owner.reload();
    const row = owner.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: people.learner.name });
    await row.waitFor();
    assert.equal(await row.getByLabel(`Role of ${people.learner.name}`, { exact: true }).inputValue(), 'learner');
    await owner.getByRole('list', { name: 'Invitations' }).getByRole('listitem').filter({ hasText: people.learner.email }).getByText('accepted', { exact: true }).waitFor();
    // Owners may change roles (including to owner) and remove members.
    assert.deepEqual(await owner.getByLabel(`Role of ${people.learner.name}`, { exact: true }).locator('option').allTextContents(), ['owner', 'admin', 'instructor', 'learner']);
    await owner.getByRole('button', { name: `Remove ${people.learner.name}` }).waitFor();
    await owner.getByLabel(`Role of ${people.learner.name}`, { exact: true }).selectOption('admin');
    await owner.getByRole('button', { name: `Save the role of ${people.learner.name}` }).click();
    await owner.getByText('Role changed to admin').first().waitFor();
    await row.getByText('admin', { exact: true }).first().waitFor();
    await owner.getByLabel(`Role of ${people.learner.name}`, { exact: true }).selectOption('learner');
    await owner.getByRole('button', { name: `Save the role of ${people.learner.name}` }).click();
    await owner.getByText('Role changed to learner').first().waitFor();
    await screenshot(owner, '61-org-owner-members', { fullPage: true });
    await owner.setViewportSize({ width: 360, height: 800 });
    const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the owner's page scrolls sideways at 360 px by ${overflow}px`);
    await screenshot(owner, '61b-org-owner-360', { fullPage: true });
    await owner.setViewportSize({ width: 1280, height: 860 });

    // A learner of the organisation knows it exists: no permission, naming who may use the page.
    // An organisation that does not exist (or that one is not in) is simply not found.
    assert.equal((await learner.goto(`/org/${org.slug}/members`))?.status(), 403);
    await learner.getByRole('heading', { name: `You do not have permission to see the members of ${org.name}` }).waitFor();
    await learner.getByText('owners, admins and instructors use this page').waitFor();
    await screenshot(learner, '62a-org-learner-no-permission');
    assert.equal((await learner.goto('/org/no-such-organisation'))?.status(), 404);
    await learner.getByText('Organisation not found or no access').waitFor();
    await screenshot(learner, '62-org-learner-no-access');
  });

  it('an instructor sees the members at 360 px in dark mode, without the invite form or controls', async () => {
    const instructor = await signIn(people.instructor.email, { width: 360, dark: true });
    await instructor.goto(`/org/${org.slug}/members`);
    await instructor.getByRole('heading', { name: org.name, level: 1 }).waitFor();
    await instructor.getByRole('list', { name: 'Members' }).getByText(people.learner.name).waitFor();
    assert.equal(await instructor.getByRole('heading', { name: 'Invite' }).count(), 0);
    assert.equal(await instructor.getByRole('button', { name: 'Send invitation' }).count(), 0);
    assert.equal(await instructor.getByRole('button', { name: /^Remove / }).count(), 0);
    assert.equal(await instructor.getByRole('combobox').count(), 0);
    const overflow = await instructor.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways at 360 px by ${overflow}px`);
    await noSeriousAxe(instructor, 'the organisation page (instructor, dark, 360 px)');
    await screenshot(instructor, '63-org-instructor-360-dark', { fullPage: true });
  });
});
