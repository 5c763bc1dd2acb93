// `access_token` on a joined channel (RealtimeChannel.handle_in("access_token")): a refreshed
// JWT replaces the channel's claims; on private channels the read policies are evaluated again
// and a channel whose read permission was revoked is stopped with Realtime's reason.
import { DatabaseUnavailable, readAuthorizations } from './authorization.ts';
import { authorizationContext } from './broadcast.ts';
import type { Channel } from './channel.ts';
import { scheduleTokenCheck } from './join.ts';
import { REASONS } from './reasons.ts';
import { accessTokenMessage } from './messages.ts';
import type { Frame } from './protocol.ts';
import type { Runtime } from './runtime.ts';
import { verifyRealtimeToken } from './token.ts';

export async function handleAccessToken(rt: Runtime, channel: Channel, frame: Frame): Promise<void> {
  const parsed = accessTokenMessage.safeParse(frame.payload);
  const token = parsed.success ? parsed.data.access_token : undefined;
  if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.accessToken) return;

  const verified = await verifyRealtimeToken(token, rt.ctx.jwtKeys);
  if (channel.closed) return;
  if (!verified.ok) {
    channel.shutdown(verified.message);
    return;
  }
  const previous = channel.policies;
  channel.accessToken = token;
  channel.claims = verified.claims;
  if (channel.isPrivate) {
    try {
      const next = await readAuthorizations(rt.admin(), authorizationContext(channel), { broadcast: {}, presence: {} }, channel.presenceEnabled);
      if (channel.closed) return;
      const revoked = (before: boolean | undefined, after: boolean | undefined) => before === true && after === false;
      if (previous && (revoked(previous.broadcast.read, next.broadcast.read) || revoked(previous.presence.read, next.presence.read))) {
        channel.shutdown(REASONS.readRevoked(channel.subTopic));
        return;
      }
      if (!next.broadcast.read && !next.presence.read) {
        channel.shutdown(REASONS.unauthorizedRead(channel.subTopic).replace(/^Unauthorized: /, ''));
        return;
      }
      channel.policies = next;
    } catch (e) {
      if (channel.closed) return;
      channel.shutdown(e instanceof DatabaseUnavailable ? REASONS.databaseUnavailable : REASONS.unauthorizedRead(channel.subTopic).replace(/^Unauthorized: /, ''));
      return;
    }
  }
  await rt.changes.updateClaims(channel);
  scheduleTokenCheck(rt, channel);
}
