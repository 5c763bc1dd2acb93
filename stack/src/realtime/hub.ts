// In-process pub/sub of the gateway (Realtime's Phoenix.PubSub + MessageDispatcher): channels
// subscribe to a topic key, and a message is encoded once per serializer and written to every
// subscriber's socket. Public and private channels of the same name are different topics, as in
// Realtime (`tenant:topic` vs `tenant-private:topic`).
import { encodeBroadcast, encodeUserBroadcast, type UserBroadcast, type Vsn } from './protocol.ts';
import type { PresenceDiff } from './presence-state.ts';
import { TopicPresence } from './presence-state.ts';

export interface Subscriber {
  readonly vsn: Vsn;
  /** The joined topic, `realtime:<name>`. */
  readonly topic: string;
  /** Private channels only receive broadcasts / presence diffs their read policies allow. */
  canReadBroadcast(): boolean;
  canReadPresence(): boolean;
  /** A database broadcast this subscriber already got through replay on join. */
  replayed?(messageId: string): boolean;
  write(data: string | Buffer): void;
}

export const topicKey = (subTopic: string, isPrivate: boolean): string => `${isPrivate ? 'private' : 'public'}:${subTopic}`;

interface Topic {
  subscribers: Set<Subscriber>;
  presence: TopicPresence<Subscriber>;
}

export class Hub {
  private readonly topics = new Map<string, Topic>();
  /** Messages written to sockets since start (for the benchmark and health). */
  deliveries = 0;

  private topicOf(key: string): Topic {
    let t = this.topics.get(key);
    if (!t) {
      t = { subscribers: new Set(), presence: new TopicPresence() };
      this.topics.set(key, t);
    }
    return t;
  }

  subscribe(key: string, sub: Subscriber): void {
    this.topicOf(key).subscribers.add(sub);
  }

  unsubscribe(key: string, sub: Subscriber): void {
    const t = this.topics.get(key);
    if (!t) return;
    t.subscribers.delete(sub);
    if (t.subscribers.size === 0 && t.presence.size === 0) this.topics.delete(key);
  }

  subscriberCount(key: string): number {
    return this.topics.get(key)?.subscribers.size ?? 0;
  }

  presence(key: string): TopicPresence<Subscriber> {
    return this.topicOf(key).presence;
  }

  private fanOut(key: string, exclude: Subscriber | undefined, allowed: (s: Subscriber) => boolean, encode: (vsn: Vsn, topic: string) => string | Buffer | null): number {
    const t = this.topics.get(key);
    if (!t) return 0;
    const cache = new Map<string, string | Buffer | null>();
    let n = 0;
    for (const sub of t.subscribers) {
      if (sub === exclude || !allowed(sub)) continue;
      const cacheKey = `${sub.vsn}|${sub.topic}`;
      let data = cache.get(cacheKey);
      if (data === undefined) {
        try {
          data = encode(sub.vsn, sub.topic);
        } catch {
          data = null; // e.g. a topic over the 255 bytes a binary frame can name
        }
        cache.set(cacheKey, data);
      }
      if (data === null) continue;
      sub.write(data);
      n++;
    }
    this.deliveries += n;
    return n;
  }

  /** A broadcast with a JSON payload map (`{type: "broadcast", event, payload, ...}`). */
  broadcastJson(key: string, payload: Record<string, unknown>, exclude?: Subscriber): number {
    return this.fanOut(key, exclude, (s) => s.canReadBroadcast(), (vsn, topic) => encodeBroadcast(vsn, topic, 'broadcast', payload));
  }

  /** A user broadcast (binary frame for 2.0.0 sockets, JSON for 1.0.0). */
  broadcastUser(key: string, b: UserBroadcast, exclude?: Subscriber): number {
    const id = typeof b.metadata?.id === 'string' ? b.metadata.id : undefined;
    const allowed = id ? (s: Subscriber) => s.canReadBroadcast() && !s.replayed?.(id) : (s: Subscriber) => s.canReadBroadcast();
    return this.fanOut(key, exclude, allowed, (vsn, topic) => encodeUserBroadcast(vsn, topic, b));
  }

  presenceDiff(key: string, diff: PresenceDiff): number {
    return this.fanOut(key, undefined, (s) => s.canReadPresence(), (vsn, topic) => encodeBroadcast(vsn, topic, 'presence_diff', diff));
  }
}
