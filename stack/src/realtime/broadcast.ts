// Broadcast (Realtime's BroadcastHandler): client → topic, `self` and `ack`, payload size limit,
// private channels checked once against the INSERT policy on realtime.messages.
import { writeAuthorizations } from './authorization.ts';
import type { Channel } from './channel.ts';
import { REASONS } from './reasons.ts';
import { broadcastMessage } from './messages.ts';
import type { Frame, UserBroadcastPush } from './protocol.ts';
import type { Runtime } from './runtime.ts';

export function authorizationContext(channel: Channel) {
  return { topic: channel.subTopic, role: channel.role, claims: channel.claims, headers: channel.host.headers };
}

/** True when the channel may send; on a private channel the first send evaluates the policy. */
async function maySend(rt: Runtime, channel: Channel): Promise<boolean> {
  if (!channel.isPrivate) return true;
  const policies = channel.policies ?? { broadcast: {}, presence: {} };
  if (policies.broadcast.write === undefined) {
    try {
      channel.policies = await writeAuthorizations(rt.admin(), authorizationContext(channel), policies, false);
    } catch (e) {
      rt.log({ level: 'error', msg: 'realtime broadcast authorization failed', code: 'UnableToSetPolicies', err: (e as Error).message, topic: channel.subTopic });
      return false;
    }
  }
  return channel.policies?.broadcast.write === true;
}

export async function handleBroadcast(rt: Runtime, channel: Channel, msg: Frame | UserBroadcastPush): Promise<void> {
  if (!(await maySend(rt, channel)) || channel.closed) return;
  const exclude = channel.self ? undefined : channel;
  let size: number;
  let send: () => void;
  if ('userEvent' in msg) {
    size = msg.body.length;
    send = () => rt.hub.broadcastUser(channel.key, { userEvent: msg.userEvent, encoding: msg.encoding, body: msg.body }, exclude);
  } else {
    const parsed = broadcastMessage.safeParse(msg.payload);
    if (!parsed.success) {
      rt.log({ level: 'info', msg: 'realtime: broadcast payload is not a map', topic: channel.subTopic });
      return;
    }
    const payload = parsed.data;
    size = Buffer.byteLength(JSON.stringify(payload));
    send = () => rt.hub.broadcastJson(channel.key, payload, exclude);
  }
  if (size > rt.limits.maxPayloadBytes) {
    if (channel.ack) channel.reply(msg.ref, 'error', REASONS.payloadSizeExceeded);
    return;
  }
  send();
  if (channel.ack) channel.reply(msg.ref, 'ok', {});
}
