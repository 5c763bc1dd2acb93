// One joined channel of a socket (Realtime's RealtimeChannel process state): the topic, the
// caller's claims, what its policies allow, its presence, its postgres_changes bindings, and
// the pushes Realtime sends on it (`system` messages, `phx_close` on shutdown).
import type { Claims } from '../kit/jwt.ts';
import type { Policies } from './authorization.ts';
import { topicKey, type Subscriber } from './hub.ts';
import { WindowCounter } from './limits.ts';
import { encode, encodeReply, type Vsn } from './protocol.ts';
import type { Runtime } from './runtime.ts';
import { msUntilExpiry } from './token.ts';

/** The socket side a channel talks through. */
export interface ChannelHost {
  readonly vsn: Vsn;
  /** The socket's own token (the `apikey` it connected with). */
  readonly token: string;
  /** Upgrade request headers, lower-cased, for `request.headers`. */
  readonly headers: Record<string, string>;
  write(data: string | Buffer): void;
  /** Forgets a channel that has stopped. */
  detach(channel: Channel): void;
}

export interface ChannelOptions {
  topic: string;
  joinRef: string | null;
  isPrivate: boolean;
  claims: Claims & { role: string; exp: number };
  accessToken: string;
  self: boolean;
  ack: boolean;
  presenceEnabled: boolean;
  presenceKey: string;
}

/** The longest a token is trusted without being looked at again (Realtime: 5 minutes). */
const CONFIRM_TOKEN_MS = 5 * 60 * 1000;

export class Channel implements Subscriber {
  readonly topic: string;
  readonly subTopic: string;
  readonly isPrivate: boolean;
  readonly key: string;
  joinRef: string | null;
  claims: Claims & { role: string; exp: number };
  accessToken: string;
  policies: Policies | undefined;
  readonly self: boolean;
  readonly ack: boolean;
  presenceEnabled: boolean;
  readonly presenceKey: string;
  /** JSON of the last tracked payload: tracking the same payload again is a no-op. */
  presenceTracked: string | undefined;
  readonly presenceCalls: WindowCounter;
  closed = false;
  /** Ids of the stored messages replayed on join (not delivered a second time). */
  readonly replayedIds = new Set<string>();
  private confirmTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rt: Runtime,
    readonly host: ChannelHost,
    opts: ChannelOptions,
  ) {
    this.topic = opts.topic;
    this.subTopic = opts.topic.slice('realtime:'.length);
    this.isPrivate = opts.isPrivate;
    this.key = topicKey(this.subTopic, opts.isPrivate);
    this.joinRef = opts.joinRef;
    this.claims = opts.claims;
    this.accessToken = opts.accessToken;
    this.self = opts.self;
    this.ack = opts.ack;
    this.presenceEnabled = opts.presenceEnabled;
    this.presenceKey = opts.presenceKey;
    this.presenceCalls = new WindowCounter(rt.limits.clientPresenceMaxCalls, rt.limits.clientPresenceWindowMs);
  }

  get vsn(): Vsn {
    return this.host.vsn;
  }

  get role(): string {
    return this.claims.role;
  }

  canReadBroadcast(): boolean {
    return !this.isPrivate || this.policies?.broadcast.read === true;
  }

  canReadPresence(): boolean {
    return !this.isPrivate || this.policies?.presence.read === true;
  }

  replayed(messageId: string): boolean {
    return this.replayedIds.has(messageId);
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.host.write(data);
  }

  /** A push from the channel (carries the join ref, like Phoenix.Channel.push/3). */
  push(event: string, payload: unknown): void {
    this.write(encode(this.vsn, { joinRef: this.joinRef, ref: null, topic: this.topic, event, payload }));
  }

  reply(ref: string | null, status: 'ok' | 'error', response: unknown = {}): void {
    this.write(encodeReply(this.vsn, this.topic, this.joinRef, ref, status, response));
  }

  system(extension: 'system' | 'postgres_changes', status: 'ok' | 'error', message: string): void {
    this.push('system', { extension, status, message, channel: this.subTopic });
  }

  /** Checks the token again before it expires, at most every 5 minutes. */
  scheduleTokenCheck(onExpired: () => void): void {
    clearTimeout(this.confirmTimer);
    const wait = Math.max(0, Math.min(CONFIRM_TOKEN_MS, msUntilExpiry(this.claims)));
    this.confirmTimer = setTimeout(onExpired, wait);
    this.confirmTimer.unref?.();
  }

  /** Leaves the hub, presence and postgres_changes. Idempotent. */
  cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.confirmTimer);
    const presence = this.rt.hub.presence(this.key);
    const diff = presence.untrack(this);
    this.rt.hub.unsubscribe(this.key, this);
    if (diff) this.rt.hub.presenceDiff(this.key, diff);
    this.rt.changes.unsubscribe(this);
    this.host.detach(this);
  }

  /** Stops the channel: `phx_close` (ref = join ref, as Phoenix sends it), then cleanup. */
  close(): void {
    if (this.closed) return;
    this.write(encode(this.vsn, { joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event: 'phx_close', payload: {} }));
    this.cleanup();
  }

  /** Realtime's shutdown_response: a `system` error naming why, then the channel stops. */
  shutdown(message: string): void {
    if (this.closed) return;
    this.rt.log({ level: 'warn', msg: 'realtime channel shutdown', code: 'ChannelShutdown', reason: message, topic: this.subTopic });
    this.system('system', 'error', message);
    this.close();
  }
}
