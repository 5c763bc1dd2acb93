// Presence (Realtime's PresenceHandler): track/untrack under the channel's presence key,
// `presence_state` after join, `presence_diff` to the topic. Private channels: presence read
// gates what a member receives, the INSERT policy (extension 'presence') gates track.
import { readAuthorizations, writeAuthorizations } from './authorization.ts';
import { authorizationContext } from './broadcast.ts';
import type { Channel } from './channel.ts';
import { REASONS } from './reasons.ts';
import { presenceMessage } from './messages.ts';
import type { Frame } from './protocol.ts';
import type { Runtime } from './runtime.ts';

/** `presence_state` to a channel that just joined with presence enabled (and may read it). */
export function syncPresence(rt: Runtime, channel: Channel): void {
  if (!channel.presenceEnabled || !channel.canReadPresence()) return;
  channel.push('presence_state', rt.hub.presence(channel.key).state());
}

async function mayTrack(rt: Runtime, channel: Channel): Promise<boolean> {
  if (!channel.isPrivate) return true;
  let policies = channel.policies ?? { broadcast: {}, presence: {} };
  if (policies.presence.write === undefined) {
    const ctx = authorizationContext(channel);
    // Presence is being enabled by this track: authorize presence.read now if the join did not.
    if (policies.presence.read === undefined) policies = await readAuthorizations(rt.admin(), ctx, policies, true);
    policies = await writeAuthorizations(rt.admin(), ctx, policies, true);
    channel.policies = policies;
  }
  return policies.presence.write === true;
}

export async function handlePresence(rt: Runtime, channel: Channel, frame: Frame): Promise<void> {
  const parsed = presenceMessage.safeParse(frame.payload);
  const msg = parsed.success ? parsed.data : {};
  if (typeof msg.event !== 'string') {
    channel.reply(frame.ref, 'ok', {});
    return;
  }
  if (!channel.presenceCalls.hit()) {
    rt.log({ level: 'error', msg: 'realtime presence rate limit', code: 'ClientPresenceRateLimitReached', topic: channel.subTopic });
    channel.shutdown(REASONS.clientPresenceRateLimit);
    return;
  }
  const event = msg.event.toLowerCase();
  const presence = rt.hub.presence(channel.key);
  if (event === 'untrack') {
    const diff = presence.untrack(channel);
    channel.presenceTracked = undefined;
    if (diff) rt.hub.presenceDiff(channel.key, diff);
    channel.reply(frame.ref, 'ok', {});
    return;
  }
  if (event !== 'track') {
    rt.log({ level: 'error', msg: 'realtime unknown presence event', code: 'UnknownPresenceEvent', event });
    channel.reply(frame.ref, 'error', {});
    return;
  }
  let allowed: boolean;
  try {
    allowed = await mayTrack(rt, channel);
  } catch (e) {
    rt.log({ level: 'error', msg: 'realtime presence authorization failed', code: 'UnableToHandlePresence', err: (e as Error).message });
    allowed = false;
  }
  if (channel.closed) return;
  if (!allowed) {
    channel.reply(frame.ref, 'error', {});
    return;
  }
  const payload = msg.payload === undefined ? {} : msg.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    channel.reply(frame.ref, 'error', { reason: REASONS.presencePayloadNotMap });
    return;
  }
  const json = JSON.stringify(payload);
  if (json === channel.presenceTracked && presence.isTracked(channel)) {
    channel.reply(frame.ref, 'ok', {});
    return;
  }
  if (Buffer.byteLength(json) > rt.limits.maxPayloadBytes) {
    channel.shutdown(REASONS.trackTooLarge);
    return;
  }
  const diff = presence.track(channel, channel.presenceKey, payload as Record<string, unknown>);
  channel.presenceTracked = json;
  channel.presenceEnabled = true;
  rt.hub.presenceDiff(channel.key, diff);
  channel.reply(frame.ref, 'ok', {});
}
