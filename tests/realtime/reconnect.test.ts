// Killing and restarting the gateway: realtime-js clients reconnect and rejoin by themselves, and
// broadcast, presence (re-tracked on SUBSCRIBED, the documented pattern) and postgres_changes work
// again. Restarts only the gateway of the test instance, never its database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'vitest';
import { instance } from '../../stack/src/config.ts';
import { gatewayPid, startGateway, stopGateway } from '../../stack/src/instance/gateway-process.ts';
import { useFixtures } from './fixtures.ts';
import { asUser, client, collector, newUser, waitFor } from './support.ts';

const conn = useFixtures();

describe('gateway restart', () => {
  test('clients reconnect and rejoin by themselves; broadcast, presence and postgres_changes resume', { timeout: 90_000 }, async () => {
    const inst = instance(process.env.STACK_INSTANCE);
    const [ua, ub] = [await newUser(), await newUser()];
    const room = `rt-restart-${randomUUID()}`;
    const toA = collector<Record<string, unknown>>();
    const rowsToA = collector<Record<string, unknown>>();
    const statuses = { a: [] as string[], b: [] as string[] };

    const a = client(ua)
      .channel(room, { config: { presence: { key: 'a' } } })
      .on('broadcast', { event: 'msg' }, toA.push)
      .on('presence', { event: 'sync' }, () => undefined)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `owner=eq.${ua.id}` }, (p) => rowsToA.push(p.new));
    const b = client(ub).channel(room, { config: { presence: { key: 'b' } } });
    a.subscribe((s) => statuses.a.push(s));
    b.subscribe((s) => {
      statuses.b.push(s);
      if (s === 'SUBSCRIBED') void b.track({ who: 'b' });
    });
    const joins = (list: string[]) => list.filter((s) => s === 'SUBSCRIBED').length;
    await waitFor(() => joins(statuses.a) === 1 && joins(statuses.b) === 1, 10_000, 'first joins');
    await waitFor(() => a.presenceState().b, 5000, 'b present');
    await b.send({ type: 'broadcast', event: 'msg', payload: { n: 1 } });
    await waitFor(() => toA.items.length === 1, 5000, 'broadcast before restart');

    const pidBefore = gatewayPid(inst);
    assert.ok(pidBefore, 'the gateway of the test instance is running');
    assert.equal(await stopGateway(inst), 'stopped');
    await waitFor(() => statuses.a.includes('CHANNEL_ERROR') || a.state !== 'joined', 10_000, 'the client noticing the outage');
    assert.equal(await startGateway(inst), 'started');
    assert.notEqual(gatewayPid(inst), pidBefore);

    // No client code runs here: realtime-js reconnects with backoff and rejoins its channels.
    await waitFor(() => joins(statuses.a) >= 2 && joins(statuses.b) >= 2, 45_000, 'rejoin after the restart');
    await waitFor(() => a.presenceState().b, 10_000, 'b present again (re-tracked on SUBSCRIBED)');

    await waitFor(
      async () => {
        await b.send({ type: 'broadcast', event: 'msg', payload: { n: 2 } });
        return toA.items.some((m) => (m.payload as { n: number }).n === 2);
      },
      10_000,
      'broadcast after restart',
    );

    await asUser(conn, ua, "insert into public.rt_items (owner, body) values ($1, 'after restart')", [ua.id]);
    const row = await waitFor(() => rowsToA.items.find((r) => r.body === 'after restart'), 10_000, 'postgres_changes after restart');
    assert.equal(row.owner, ua.id);
  });
});
