// In-process pub/sub of the gateway (Realtime's Phoenix.PubSub + MessageDispatcher): channels
// subscribe to a topic key, and a message is encoded once per serializer and written to every
// subscriber's socket. Public and private channels of the same name are different topics, as in
// Realtime (`tenant:topic` vs `tenant-private:topic`). A topic with many subscribers is written a
// slice per event-loop turn (see HubOptions), in order, so one big fan-out does not stall the gateway.
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

/** One message waiting to be written to a large topic's subscribers. */
interface Message {
  /** Only subscriptions older than the message get it (as if it had been written when sent). */
  seq: number;
  exclude: Subscriber | undefined;
  allowed: (s: Subscriber) => boolean;
  /** The frame per serializer and topic name, encoded once for every subscriber (null: cannot be sent). */
  frame: (s: Subscriber) => string | Buffer | null;
}

/**
 * A large topic's fan-out in progress: `round` goes out to the snapshot `subs` a slice per
 * event-loop turn, each subscriber getting all the round's messages at once (one socket write for
 * the lot); messages sent meanwhile wait in `next` for the following round.
 */
interface Outbox {
  round: Message[];
  subs: Subscriber[];
  at: number;
  next: Message[];
}

interface Topic {
  /** Each subscriber with the sequence number of its subscription. */
  subscribers: Map<Subscriber, number>;
  presence: TopicPresence<Subscriber>;
  outbox: Outbox | undefined;
}

export interface HubOptions {
  /**
   * Writes per event-loop turn when a topic has at least this many subscribers: a message to
   * 10,000 sockets would otherwise hold the gateway's loop (heartbeats, joins, every HTTP request)
   * for the whole fan-out, and a burst of them for seconds. Smaller topics are written at once.
   */
  sliceSize?: number;
  /** A write that threw during a queued slice (the other subscribers still get theirs). */
  onError?: (e: Error) => void;
}

export class Hub {
  private readonly topics = new Map<string, Topic>();
  private readonly sliceSize: number;
  private readonly onError: (e: Error) => void;
  /** Orders subscriptions and messages: a message reaches the subscriptions made before it. */
  private seq = 0;
  /** Messages written to sockets since start (for the benchmark and health). */
  deliveries = 0;

  constructor(opts: HubOptions = {}) {
    this.sliceSize = opts.sliceSize ?? 1000;
    this.onError = opts.onError ?? ((e) => console.error(e));
  }

  private topicOf(key: string): Topic {
    let t = this.topics.get(key);
    if (!t) {
      t = { subscribers: new Map(), presence: new TopicPresence(), outbox: undefined };
      this.topics.set(key, t);
    }
    return t;
  }

  subscribe(key: string, sub: Subscriber): void {
    const t = this.topicOf(key);
    if (!t.subscribers.has(sub)) t.subscribers.set(sub, ++this.seq);
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

  /**
   * Writes a message to every allowed subscriber of the topic but `exclude`, in the order messages
   * are sent. A large topic's (or one with a fan-out still under way) is queued and written a
   * slice per turn.
   */
  private fanOut(key: string, exclude: Subscriber | undefined, allowed: (s: Subscriber) => boolean, encode: (vsn: Vsn, topic: string) => string | Buffer | null): void {
    const t = this.topics.get(key);
    if (!t) return;
    const cache = new Map<string, string | Buffer | null>();
    const frame = (sub: Subscriber): string | Buffer | null => {
      const cacheKey = sub.vsn === '2.0.0' ? sub.topic : `1|${sub.topic}`;
      let data = cache.get(cacheKey);
      if (data === undefined) {
        try {
          data = encode(sub.vsn, sub.topic);
        } catch {
          data = null; // e.g. a topic over the 255 bytes a binary frame can name
        }
        cache.set(cacheKey, data);
      }
      return data;
    };
    const message: Message = { seq: ++this.seq, exclude, allowed, frame };
    if (t.outbox) {
      t.outbox.next.push(message);
      return;
    }
    if (t.subscribers.size >= this.sliceSize) {
      t.outbox = { round: [], subs: [], at: 0, next: [message] };
      this.drain(t);
      return;
    }
    for (const sub of t.subscribers.keys()) this.deliver(sub, message);
  }

  /** One message to one subscriber; a write that throws is reported and never stops the others'. */
  private deliver(sub: Subscriber, m: Message): void {
    if (sub === m.exclude || !m.allowed(sub)) return;
    const data = m.frame(sub);
    if (data === null) return;
    try {
      sub.write(data);
    } catch (e) {
      this.onError(e as Error);
      return;
    }
    this.deliveries++;
  }

  /** One slice of a large topic's fan-out; schedules the next while anything is left. */
  private drain(t: Topic): void {
    const box = t.outbox!;
    if (box.at === box.subs.length) {
      box.round = box.next;
      box.next = [];
      box.subs = [...t.subscribers.keys()];
      box.at = 0;
    }
    // At most sliceSize writes a turn: fewer subscribers when the round has several messages.
    const end = Math.min(box.subs.length, box.at + Math.max(1, Math.floor(this.sliceSize / box.round.length)));
    for (let i = box.at; i < end; i++) {
      const sub = box.subs[i]!;
      const since = t.subscribers.get(sub);
      if (since === undefined) continue; // unsubscribed meanwhile
      for (const m of box.round) if (since < m.seq) this.deliver(sub, m);
    }
    box.at = end;
    if (box.at === box.subs.length && box.next.length === 0) {
      t.outbox = undefined;
      return;
    }
    // setImmediate: the slice's corked writes leave first (write-batch's own setImmediate was
    // queued before this one), and I/O such as heartbeats is served before the next slice.
    setImmediate(() => this.drain(t));
  }

  /** A broadcast with a JSON payload map (`{type: "broadcast", event, payload, ...}`). */
  broadcastJson(key: string, payload: Record<string, unknown>, exclude?: Subscriber): void {
    this.fanOut(key, exclude, (s) => s.canReadBroadcast(), (vsn, topic) => encodeBroadcast(vsn, topic, 'broadcast', payload));
  }

  /** A user broadcast (binary frame for 2.0.0 sockets, JSON for 1.0.0). */
  broadcastUser(key: string, b: UserBroadcast, exclude?: Subscriber): void {
    const id = typeof b.metadata?.id === 'string' ? b.metadata.id : undefined;
    const allowed = id ? (s: Subscriber) => s.canReadBroadcast() && !s.replayed?.(id) : (s: Subscriber) => s.canReadBroadcast();
    this.fanOut(key, exclude, allowed, (vsn, topic) => encodeUserBroadcast(vsn, topic, b));
  }

  presenceDiff(key: string, diff: PresenceDiff): void {
    this.fanOut(key, undefined, (s) => s.canReadPresence(), (vsn, topic) => encodeBroadcast(vsn, topic, 'presence_diff', diff));
  }
}
