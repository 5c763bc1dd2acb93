// phx_join (RealtimeChannel.join/3): topic and limits (a channel slot reserved before any await),
// token, private-channel read authorization, then subscribe to the topic, presence and postgres_changes; reply with the postgres_changes
// bindings and their ids. Join errors carry Realtime's reasons and come after a short backoff.
import { randomUUID } from 'node:crypto';
import { DatabaseUnavailable, emptyPolicies, readAuthorizations, RlsPolicyError } from './authorization.ts';
import { authorizationContext } from './broadcast.ts';
import { Channel, type ChannelHost } from './channel.ts';
import { REASONS } from './reasons.ts';
import { parseJoin, type JoinOptions } from './messages.ts';
import { syncPresence } from './presence.ts';
import { encodeUserBroadcast, type Frame } from './protocol.ts';
import type { Runtime } from './runtime.ts';
import { verifyRealtimeToken } from './token.ts';

export interface JoinHost extends ChannelHost {
  readonly channels: Map<string, Channel>;
  /**
   * Topics whose join is under way: each holds a channel slot from the moment the join is
   * admitted (before any await) until it is registered in `channels` or refused.
   */
  readonly joining: Set<string>;
  /** The socket is gone: a join finishing now must not register anything. */
  readonly closed: boolean;
  replyTo(topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: unknown): void;
  disconnect(reason: string): void;
}

class JoinError extends Error {
  constructor(
    readonly reason: string,
    readonly disconnect = false,
  ) {
    super(reason);
  }
}

interface StoredMessage {
  id: string;
  event: string;
  payload: unknown;
  binary_payload: Buffer | null;
}

/** The last `limit` private broadcasts of the topic since `since` (ms), oldest first (Realtime.Messages.replay). */
async function loadReplay(rt: Runtime, channel: Channel, since: number, limit: number): Promise<StoredMessage[]> {
  const { rows } = await rt.admin().query<StoredMessage>(
    `select id, event, payload, binary_payload from realtime.messages
      where topic = $1 and private is true and extension = 'broadcast'
        and inserted_at >= pg_catalog.to_timestamp($2::double precision / 1000) at time zone 'utc'
        and inserted_at < (pg_catalog.now() at time zone 'utc') + interval '1 minute'
      order by inserted_at desc limit $3`,
    [channel.subTopic, since, Math.max(1, Math.min(limit, 25))],
  );
  for (const m of rows) channel.replayedIds.add(m.id);
  return rows.reverse();
}

function pushReplay(channel: Channel, messages: StoredMessage[]): void {
  for (const m of messages) {
    const meta = { replayed: true, id: m.id };
    if (m.binary_payload) {
      // 1.0.0 sockets cannot carry binary payloads.
      const frame = encodeUserBroadcast(channel.vsn, channel.topic, { userEvent: m.event, encoding: 'binary', body: m.binary_payload, metadata: meta });
      if (frame) channel.write(frame);
    } else {
      channel.push('broadcast', { payload: m.payload, event: m.event, type: 'broadcast', meta });
    }
  }
}

export async function handleJoin(rt: Runtime, host: JoinHost, frame: Frame): Promise<void> {
  const { topic, joinRef, ref } = frame;
  if (!topic.startsWith('realtime:')) {
    host.replyTo(topic, joinRef, ref, 'error', { reason: 'unmatched topic' });
    return;
  }
  // A second join of a topic replaces the first, as Phoenix does.
  host.channels.get(topic)?.cleanup();

  let channel: Channel | undefined;
  let reserved = false;
  try {
    // Admission and the slot reservation happen together, synchronously: concurrent joins on
    // one socket each see the slots the others hold (upstream's socket process serialises
    // joins; here they interleave at every await).
    admit(rt, host, frame);
    reserved = true;
    const opts = parseJoin(frame.payload);
    channel = await prepareJoin(rt, host, frame, opts);
    await completeJoin(rt, host, frame, opts, channel);
  } catch (e) {
    channel?.cleanup();
    const known = e instanceof JoinError;
    if (known) rt.log({ level: 'warn', msg: 'realtime join refused', topic, reason: e.reason });
    else rt.log({ level: 'error', msg: 'realtime join failed', code: 'UnknownErrorOnChannel', topic, err: (e as Error).stack ?? String(e) });
    await new Promise((r) => setTimeout(r, rt.limits.channelErrorBackoffMs));
    const reason = known ? e.reason : 'Unknown Error on Channel';
    host.replyTo(topic, joinRef, ref, 'error', { reason });
    if (known && e.disconnect) host.disconnect(reason);
  } finally {
    // Registered (it now counts through `channels`) or refused: the reservation goes either way.
    if (reserved) host.joining.delete(topic);
  }
}

/** Channels (joined or joining) this socket holds besides `topic`. */
function slotsInUse(host: JoinHost, topic: string): number {
  const held = new Set([...host.channels.keys(), ...host.joining]);
  held.delete(topic);
  return held.size;
}

/**
 * The checks that need no await (topic, channels per socket, joins per second), then the slot
 * reserved in `host.joining`. Throws a JoinError, having reserved nothing, when one fails.
 */
function admit(rt: Runtime, host: JoinHost, frame: Frame): void {
  if (frame.topic.slice('realtime:'.length) === '') throw new JoinError(REASONS.topicRequired);
  if (slotsInUse(host, frame.topic) >= rt.limits.maxChannelsPerClient) throw new JoinError(REASONS.tooManyChannels);
  if (!rt.joins.hit()) throw new JoinError(REASONS.tooManyJoins, true);
  host.joining.add(frame.topic);
}

async function completeJoin(rt: Runtime, host: JoinHost, frame: Frame, opts: JoinOptions, channel: Channel): Promise<void> {
  const { topic, ref } = frame;
  const replayOpts = opts.config.broadcast.replay;
  let replayed: StoredMessage[] = [];
  if (replayOpts && channel.isPrivate) {
    try {
      replayed = await loadReplay(rt, channel, replayOpts.since, replayOpts.limit);
    } catch (e) {
      rt.log({ level: 'error', msg: 'realtime replay failed', err: (e as Error).message });
      throw new JoinError('UnableToReplayMessages: Realtime was unable to replay messages');
    }
  }
  if (host.closed) return;
  host.channels.set(topic, channel);
  rt.hub.subscribe(channel.key, channel);
  const pg = opts.newApi ? await rt.changes.subscribe(channel, opts.config.postgres_changes) : { reply: [] };
  if (opts.newApi && opts.config.postgres_changes.length > 0 && rt.replication.state !== 'streaming') await rt.replication.ready(5000);
  if (host.closed) channel.cleanup();
  if (channel.closed) return;
  channel.reply(ref, 'ok', { postgres_changes: pg.reply });

  syncPresence(rt, channel);
  if (pg.system) channel.system('postgres_changes', pg.system.status, pg.system.message);
  pushReplay(channel, replayed);
  scheduleTokenCheck(rt, channel);
  if (opts.config.broadcast.replication_ready) {
    // Not awaited: the topic's next messages must not wait for it.
    void rt.replication.ready(60_000).then((ok) => {
      if (channel.closed) return;
      if (ok) channel.system('system', 'ok', 'Replication connection established');
      else channel.shutdown('Replication connection was not established in time');
    });
  }
}

async function prepareJoin(rt: Runtime, host: JoinHost, frame: Frame, opts: JoinOptions): Promise<Channel> {
  const subTopic = frame.topic.slice('realtime:'.length);

  const token = opts.accessToken && !opts.accessToken.startsWith('sb_') ? opts.accessToken : host.token;
  const verified = await verifyRealtimeToken(token, rt.ctx.jwtKeys);
  if (!verified.ok) throw new JoinError(`${verified.code}: ${verified.message}`);

  const isPrivate = opts.config.private;
  if (opts.config.broadcast.replay && !isPrivate) throw new JoinError('UnableToReplayMessages: Replay is not allowed for public channels');

  const channel = new Channel(rt, host, {
    topic: frame.topic,
    joinRef: frame.joinRef,
    isPrivate,
    claims: verified.claims,
    accessToken: token,
    self: opts.config.broadcast.self,
    ack: opts.config.broadcast.ack,
    presenceEnabled: opts.config.presence.enabled,
    presenceKey: opts.presenceKey ?? randomUUID(),
  });

  if (isPrivate) {
    try {
      channel.policies = await readAuthorizations(rt.admin(), authorizationContext(channel), emptyPolicies(), channel.presenceEnabled);
    } catch (e) {
      if (e instanceof DatabaseUnavailable) throw new JoinError(`UnableToConnectToProject: ${REASONS.databaseUnavailable}`);
      if (e instanceof RlsPolicyError) {
        rt.log({ level: 'error', msg: 'realtime RLS policy error', code: 'RlsPolicyError', err: e.message, topic: subTopic });
        throw new JoinError(REASONS.unauthorizedRead(subTopic));
      }
      throw e;
    }
    if (!channel.policies.broadcast.read && !channel.policies.presence.read) throw new JoinError(REASONS.unauthorizedRead(subTopic));
  }
  return channel;
}

/** At expiry (or every 5 minutes) the token is checked again; an expired one stops the channel. */
export function scheduleTokenCheck(rt: Runtime, channel: Channel): void {
  channel.scheduleTokenCheck(() => {
    void verifyRealtimeToken(channel.accessToken, rt.ctx.jwtKeys).then((v) => {
      if (channel.closed) return;
      if (v.ok) scheduleTokenCheck(rt, channel);
      else channel.shutdown(v.message);
    });
  });
}
