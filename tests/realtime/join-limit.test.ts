// The per-socket channel limit under concurrent joins. Joins on one socket used to be counted
// before the asynchronous token check and registered only after it, so a burst of joins all saw
// room and 183–218 channels got in against a limit of 100. Now each join reserves its slot before
// any await: a burst of 250 gets exactly 100 in, and the rest Realtime's refusal. A raw socket
// (Phoenix's 1.0.0 JSON frames) so every reply is counted, not just what realtime-js surfaces.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll as after, describe, test } from 'vitest';
import WebSocket from 'ws';
import { env } from '../support/env.ts';
import { accessToken } from '../support/tokens.ts';
import { newUser, waitFor } from './support.ts';

interface Reply {
  topic: string;
  ref: string | null;
  status: string;
  response: Record<string, unknown>;
}

const LIMIT = 100;
const sockets: WebSocket[] = [];
after(() => {
  for (const ws of sockets) ws.terminate();
});

/** A socket that files each phx_reply under its ref. */
async function socket(): Promise<{ ws: WebSocket; replies: Map<string, Reply> }> {
  const url = `${env.SUPABASE_URL.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${env.ANON_KEY}&vsn=1.0.0`;
  const ws = new WebSocket(url);
  sockets.push(ws);
  const replies = new Map<string, Reply>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { topic: string; event: string; ref: string | null; payload: { status: string; response: Record<string, unknown> } };
    if (m.event === 'phx_reply' && m.ref !== null) replies.set(m.ref, { topic: m.topic, ref: m.ref, status: m.payload.status, response: m.payload.response });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, replies };
}

let nextRef = 0;
function join(ws: WebSocket, topic: string, token: string): string {
  const ref = String(++nextRef);
  const payload = { config: { broadcast: { ack: false, self: false }, presence: { key: '' }, postgres_changes: [], private: false }, access_token: token };
  ws.send(JSON.stringify({ topic: `realtime:${topic}`, event: 'phx_join', payload, ref, join_ref: ref }));
  return ref;
}

function leave(ws: WebSocket, topic: string): string {
  const ref = String(++nextRef);
  ws.send(JSON.stringify({ topic: `realtime:${topic}`, event: 'phx_leave', payload: {}, ref, join_ref: null }));
  return ref;
}

const tooMany = { reason: 'ChannelRateLimitReached: Too many channels' };

describe('channels per socket under concurrent joins', () => {
  test(`250 joins sent at once on one socket: exactly ${LIMIT} join, 150 are refused with ChannelRateLimitReached`, async () => {
    const user = await newUser();
    const { ws, replies } = await socket();
    const base = `rt-burst-${randomUUID()}`;
    const refs = Array.from({ length: 250 }, (_, i) => join(ws, `${base}-${i}`, user.token));
    await waitFor(() => refs.every((r) => replies.has(r)), 30_000, 'a reply to every join');
    const answered = refs.map((r) => replies.get(r)!);
    const joined = answered.filter((r) => r.status === 'ok');
    const refused = answered.filter((r) => r.status === 'error');
    assert.equal(joined.length, LIMIT);
    assert.equal(refused.length, 150);
    for (const r of refused) assert.deepEqual(r.response, tooMany);

    // Slots come back on leave: one leaves, one more gets in, the next is refused again.
    const gone = joined[0]!.topic.slice('realtime:'.length);
    const left = leave(ws, gone);
    await waitFor(() => replies.get(left), 5000, 'the leave reply');
    const [again, over] = [join(ws, `${base}-again`, user.token), join(ws, `${base}-over`, user.token)];
    await waitFor(() => replies.has(again) && replies.has(over), 10_000, 'the two new joins answered');
    assert.equal(replies.get(again)!.status, 'ok');
    assert.deepEqual([replies.get(over)!.status, replies.get(over)!.response], ['error', tooMany]);
  });

  test('a refused join (bad token) gives its reserved slot back', async () => {
    const user = await newUser();
    const expired = await accessToken({ expiresIn: -30 });
    const { ws, replies } = await socket();
    const base = `rt-release-${randomUUID()}`;
    // Refused after the asynchronous token check, while the valid joins below are in flight.
    const bad = Array.from({ length: 20 }, (_, i) => join(ws, `${base}-bad-${i}`, expired));
    const good = Array.from({ length: LIMIT }, (_, i) => join(ws, `${base}-${i}`, user.token));
    await waitFor(() => [...bad, ...good].every((r) => replies.has(r)), 30_000, 'a reply to every join');
    for (const r of bad) assert.match(String(replies.get(r)!.response.reason), /^InvalidJWTToken: Token has expired/);
    // Some good joins may have met the limit while the bad ones still held slots; once those are
    // released every slot is usable again, so topping up reaches exactly the limit.
    const refusedGood = good.filter((r) => replies.get(r)!.status !== 'ok');
    for (const r of refusedGood) assert.deepEqual(replies.get(r)!.response, tooMany);
    const topUp = refusedGood.map((_, i) => join(ws, `${base}-topup-${i}`, user.token));
    const extra = join(ws, `${base}-extra`, user.token);
    await waitFor(() => [...topUp, extra].every((r) => replies.has(r)), 30_000, 'the top-up joins answered');
    for (const r of topUp) assert.equal(replies.get(r)!.status, 'ok');
    assert.deepEqual(replies.get(extra)!.response, tooMany);
  });
});
