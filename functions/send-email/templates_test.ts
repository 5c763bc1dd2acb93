import assert from 'node:assert/strict';
import { escapeHtml, safeHref } from './layout.ts';
import { renderTemplate, TEMPLATE_NAMES, TemplateError } from './templates.ts';
import { note, SAMPLES } from './testing/samples.ts';

const ctx = { appUrl: 'https://app.example.com/' };

Deno.test('every template renders a subject, HTML and text from the data the database writes', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...TEMPLATE_NAMES].sort());
  for (const name of TEMPLATE_NAMES) {
    const e = renderTemplate(name, SAMPLES[name], ctx);
    assert.ok(e.subject.length > 0, name);
    assert.match(e.html, /^<!doctype html>/, name);
    assert.match(e.html, /Ascend/, name);
    assert.ok(e.text.length > 20, name);
    assert.doesNotMatch(e.text, /<[a-z]/i, `${name}: text has no markup`);
  }
});

Deno.test('rendering is deterministic (a resend is the same request, as idempotency needs)', () => {
  for (const name of TEMPLATE_NAMES) {
    assert.deepEqual(renderTemplate(name, SAMPLES[name], ctx), renderTemplate(name, SAMPLES[name], ctx));
  }
});

Deno.test('the invitation names the organisation, role, inviter and expiry, with a link into the app', () => {
  const e = renderTemplate('invitation', SAMPLES.invitation, ctx);
  assert.equal(e.subject, 'You are invited to join Acme Learning on Ascend');
  assert.match(e.text, /Grace invited you to Acme Learning as instructor\./);
  assert.match(e.text, /Expires: 2026-12-20/);
  assert.match(e.html, /href="https:\/\/app\.example\.com\/invitations\/a6f1c2d4-0000-4000-8000-000000000001"/);
});

Deno.test('weekly progress counts quizzes in words', () => {
  const e = renderTemplate('weekly_progress', SAMPLES.weekly_progress, ctx);
  assert.equal(e.subject, 'Your week on Ascend: 340 XP');
  assert.match(e.text, /340 XP in 1 quiz this week/);
  assert.match(e.text, /Current streak: 4 days/);
});

Deno.test('data is escaped in HTML and links cannot become javascript:', () => {
  const e = renderTemplate('system', note({}, '<script>alert(1)</script> & "quotes"'), ctx);
  assert.doesNotMatch(e.html, /<script>/);
  assert.match(e.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/);
  assert.match(e.text, /<script>alert\(1\)<\/script>/, 'text is plain, not escaped');
  assert.equal(escapeHtml(`<a href="x">'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt;');
  assert.equal(safeHref('javascript:alert(1)', 'https://app/'), 'https://app/');
  const evil = renderTemplate('assignment_due', note({ assignment_id: '../../x"><img src=x>' }), ctx);
  assert.match(evil.html, /\/assignments\/\.\.%2F\.\.%2Fx%22%3E%3Cimg%20src%3Dx%3E"/);
});

Deno.test('unknown templates and invalid data fail with a message naming them', () => {
  assert.throws(
    () => renderTemplate('nope', {}, ctx),
    (e: unknown) => e instanceof TemplateError && /unknown template "nope"/.test(e.message),
  );
  assert.throws(
    () => renderTemplate('invitation', { ...SAMPLES.invitation, role: 'king' }, ctx),
    (e: unknown) => e instanceof TemplateError && /template "invitation" data is invalid \(role:/.test(e.message),
  );
  assert.throws(() => renderTemplate('level_up', { title: 'x', data: {} }, ctx), /data\.level/);
});

Deno.test('a missing display name greets without one', () => {
  const e = renderTemplate('welcome', { display_name: null }, ctx);
  assert.match(e.text, /^Welcome to Ascend\n\nHi,\n/);
});
