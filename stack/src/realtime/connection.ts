// One websocket (Phoenix.Socket + its channels): decodes frames, answers heartbeats, routes each
// topic's messages in order to join / leave / broadcast / presence / access_token, enforces the
// per-client message rate, and tears every channel down when the socket goes away.
import type { WebSocket } from 'ws';
import { handleAccessToken } from './access-token.ts';
import { handleBroadcast } from './broadcast.ts';
import type { Channel } from './channel.ts';
import { handleJoin, type JoinHost } from './join.ts';
import { WindowCounter } from './limits.ts';
import { REASONS } from './reasons.ts';
import { handlePresence } from './presence.ts';
import { decode, encodeReply, ProtocolError, type Frame, type Inbound, type Vsn } from './protocol.ts';
import type { Runtime } from './runtime.ts';
import { sendBatched } from './write-batch.ts';

/** Events that are protocol control, not client messages counted against the rate limit. */
const CONTROL_EVENTS = new Set(['phx_join', 'phx_leave', 'access_token', 'heartbeat']);

export class Connection implements JoinHost {
  readonly channels = new Map<string, Channel>();
  readonly joining = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly events: WindowCounter;
  lastSeen = Date.now();
  closed = false;

  constructor(
    private readonly rt: Runtime,
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    readonly token: string,
    readonly headers: Record<string, string>,
  ) {
    this.events = new WindowCounter(rt.limits.maxEventsPerSecond, 1000);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', () => this.onClose());
    ws.on('error', (err) => rt.log({ level: 'warn', msg: 'realtime socket error', err: err.message }));
  }

  write(data: string | Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) sendBatched(this.ws, data);
  }

  replyTo(topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: unknown): void {
    this.write(encodeReply(this.vsn, topic, joinRef, ref, status, response));
  }

  detach(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  /** Closes the socket with a reason the client can read (close frame), never silently. */
  disconnect(reason: string, code = 1008): void {
    if (this.closed) return;
    this.ws.close(code, reason.slice(0, 120));
  }

  /** For shutdown: close frame now, and the TCP connection soon whatever the client does. */
  shutdown(): void {
    this.disconnect('server shutting down', 1001);
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.lastSeen = Date.now();
    let msg: Inbound;
    try {
      msg = decode(this.vsn, data, isBinary);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.rt.log({ level: 'info', msg: 'realtime: undecodable message ignored', err: e.message });
      return;
    }
    if (msg.topic === 'phoenix' && msg.event === 'heartbeat') {
      this.replyTo('phoenix', null, msg.ref, 'ok', {});
      return;
    }
    // Messages of one topic are handled in order; topics do not wait on each other.
    const topic = msg.topic;
    const previous = this.queues.get(topic) ?? Promise.resolve();
    const next = previous
      .then(() => this.route(msg))
      .catch((e: Error) => this.rt.log({ level: 'error', msg: 'realtime: message handling failed', topic, err: e.stack ?? e.message }));
    this.queues.set(topic, next);
    void next.then(() => {
      if (this.queues.get(topic) === next) this.queues.delete(topic);
    });
  }

  private async route(msg: Inbound): Promise<void> {
    if (this.closed) return;
    if (msg.kind === 'frame' && msg.event === 'phx_join') return handleJoin(this.rt, this, msg);
    const channel = this.channels.get(msg.topic);
    if (!channel || channel.closed) {
      this.replyTo(msg.topic, msg.joinRef, msg.ref, 'error', { reason: 'unmatched topic' });
      return;
    }
    if (msg.kind === 'frame' && msg.event === 'phx_leave') {
      channel.reply(msg.ref, 'ok', {});
      channel.close();
      return;
    }
    if (msg.kind === 'frame' && msg.event === 'access_token') return handleAccessToken(this.rt, channel, msg);
    if (!CONTROL_EVENTS.has(msg.event) && !this.events.hit()) {
      this.rt.log({ level: 'error', msg: 'realtime client message rate limit', code: 'MessagePerSecondRateLimitReached', topic: channel.subTopic });
      channel.shutdown(REASONS.tooManyMessages);
      return;
    }
    if (msg.kind === 'user_broadcast_push' || msg.event === 'broadcast') return handleBroadcast(this.rt, channel, msg);
    if (msg.event === 'presence') return handlePresence(this.rt, channel, msg as Frame);
    // Anything else is counted and ignored, as Realtime does.
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of [...this.channels.values()]) channel.cleanup();
    this.channels.clear();
  }
}
