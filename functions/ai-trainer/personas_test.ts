import assert from 'node:assert/strict';
import { CATEGORIES, DIFFICULTIES } from './catalog.ts';
import { OFFLINE_TAG, offlineCustomerReply, personaBrief, PERSONAS, type Turn } from './personas.ts';

Deno.test('a persona for every category, each with concerns and objections', () => {
  for (const c of CATEGORIES) {
    assert.ok(PERSONAS[c].concerns.length >= 2, c);
    assert.ok(PERSONAS[c].objections.length >= 2, c);
    for (const d of DIFFICULTIES) assert.match(personaBrief(c, d), new RegExp(`^${PERSONAS[c].name}, a customer who`));
  }
});

Deno.test('every scripted reply says plainly that it is scripted', () => {
  for (const c of CATEGORIES) {
    for (const d of DIFFICULTIES) {
      assert.ok(offlineCustomerReply(c, d, [{ role: 'learner', content: 'Hello!' }]).endsWith(OFFLINE_TAG));
    }
  }
});

Deno.test('replies are deterministic and follow the conversation', () => {
  const t: Turn[] = [{ role: 'learner', content: 'Good morning, welcome! How can I help?' }];
  const first = offlineCustomerReply('sales-objections', 'experienced', t);
  assert.equal(first, offlineCustomerReply('sales-objections', 'experienced', t));
  assert.match(first, /^Hi, I'm Marcus\. Mostly I want to know about the total price\./);
  t.push({ role: 'customer', content: first }, { role: 'learner', content: 'What matters most to you?' });
  const second = offlineCustomerReply('sales-objections', 'experienced', t);
  assert.match(second, /higher than the place down the road/, 'raises its first objection');
});

Deno.test('the customer agrees to a next step only after its objections and a close', () => {
  const t: Turn[] = [];
  const say = (content: string) => {
    t.push({ role: 'learner', content });
    const reply = offlineCustomerReply('retail-sales', 'basic', t);
    t.push({ role: 'customer', content: reply });
    return reply;
  };
  say('Hello, welcome to the store!');
  assert.doesNotMatch(say('Shall we book you in?'), /go ahead/, 'too early: an objection comes first');
  say('I understand, what do you use today?');
  assert.match(say('Great, shall we go ahead and book your next step?'), /Let's go ahead with the next step/);
});
