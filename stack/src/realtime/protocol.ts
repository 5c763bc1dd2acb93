// The Phoenix wire format realtime-js speaks: serializer 1.0.0 (JSON objects) and 2.0.0 (JSON
// arrays plus the binary frames of Supabase's V2Serializer: user broadcast push, kind 3, from
// clients; user broadcast, kind 4, to clients). Pure: bytes in, frames out.

export type Vsn = '1.0.0' | '2.0.0';

export const VSNS: readonly Vsn[] = ['1.0.0', '2.0.0'];

/** A Phoenix message: `[join_ref, ref, topic, event, payload]` in 2.0.0. */
export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A broadcast pushed by a 2.0.0 client as a binary frame (kind 3). */
export interface UserBroadcastPush {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: 'broadcast';
  userEvent: string;
  encoding: 'json' | 'binary';
  /** The user payload exactly as sent (JSON text bytes, or raw bytes). */
  body: Buffer;
  metadata: Record<string, unknown>;
}

export type Inbound = ({ kind: 'frame' } & Frame) | ({ kind: 'user_broadcast_push' } & UserBroadcastPush);

export class ProtocolError extends Error {}

/** Binary frame kinds of Supabase's V2Serializer (1 = reply and 2 = broadcast are never sent here). */
const KIND_PUSH = 0;
const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;

const refOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function frameFromArray(arr: unknown): Frame {
  if (!Array.isArray(arr) || arr.length < 5) throw new ProtocolError('expected V2 array');
  const [joinRef, ref, topic, event, payload] = arr as unknown[];
  if (typeof topic !== 'string' || typeof event !== 'string') throw new ProtocolError('topic and event must be strings');
  return { joinRef: refOrNull(joinRef), ref: refOrNull(ref), topic, event, payload };
}

function frameFromObject(obj: unknown): Frame {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ProtocolError('expected a JSON object');
  const o = obj as Record<string, unknown>;
  if (typeof o.topic !== 'string' || typeof o.event !== 'string') throw new ProtocolError('topic and event must be strings');
  return { joinRef: refOrNull(o.join_ref), ref: refOrNull(o.ref), topic: o.topic, event: o.event, payload: o.payload };
}

/** Reads `size` bytes at `offset` as UTF-8, checking bounds. */
function take(buf: Buffer, offset: number, size: number): [string, number] {
  if (offset + size > buf.length) throw new ProtocolError('binary frame shorter than its header says');
  return [buf.toString('utf8', offset, offset + size), offset + size];
}

function decodeBinary(buf: Buffer): Inbound {
  if (buf.length < 1) throw new ProtocolError('empty binary frame');
  const kind = buf[0];
  if (kind === KIND_USER_BROADCAST_PUSH) {
    if (buf.length < 7) throw new ProtocolError('binary frame shorter than its header');
    const [joinRefSize, refSize, topicSize, eventSize, metaSize, encoding] = [buf[1]!, buf[2]!, buf[3]!, buf[4]!, buf[5]!, buf[6]!];
    let offset = 7;
    let joinRef: string, ref: string, topic: string, userEvent: string, meta: string;
    [joinRef, offset] = take(buf, offset, joinRefSize);
    [ref, offset] = take(buf, offset, refSize);
    [topic, offset] = take(buf, offset, topicSize);
    [userEvent, offset] = take(buf, offset, eventSize);
    [meta, offset] = take(buf, offset, metaSize);
    let metadata: Record<string, unknown> = {};
    if (metaSize > 0) {
      try {
        const parsed: unknown = JSON.parse(meta);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) metadata = parsed as Record<string, unknown>;
      } catch {
        throw new ProtocolError('binary frame metadata is not JSON');
      }
    }
    return {
      kind: 'user_broadcast_push',
      joinRef: joinRef === '' ? null : joinRef,
      ref: ref === '' ? null : ref,
      topic,
      event: 'broadcast',
      userEvent,
      encoding: encoding === 0 ? 'binary' : 'json',
      body: buf.subarray(offset),
      metadata,
    };
  }
  if (kind === KIND_PUSH) {
    if (buf.length < 5) throw new ProtocolError('binary frame shorter than its header');
    const [joinRefSize, refSize, topicSize, eventSize] = [buf[1]!, buf[2]!, buf[3]!, buf[4]!];
    let offset = 5;
    let joinRef: string, ref: string, topic: string, event: string;
    [joinRef, offset] = take(buf, offset, joinRefSize);
    [ref, offset] = take(buf, offset, refSize);
    [topic, offset] = take(buf, offset, topicSize);
    [event, offset] = take(buf, offset, eventSize);
    return { kind: 'frame', joinRef: joinRef || null, ref: ref || null, topic, event, payload: buf.subarray(offset) };
  }
  throw new ProtocolError(`unknown binary frame kind ${kind}`);
}

/** Decodes one websocket message. Throws ProtocolError on anything that is not a frame. */
export function decode(vsn: Vsn, data: Buffer | string, isBinary: boolean): Inbound {
  if (isBinary) {
    if (vsn !== '2.0.0') throw new ProtocolError('binary frames need serializer 2.0.0');
    return decodeBinary(typeof data === 'string' ? Buffer.from(data) : data);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    throw new ProtocolError('message is not JSON');
  }
  return { kind: 'frame', ...(vsn === '2.0.0' ? frameFromArray(parsed) : frameFromObject(parsed)) };
}

/** Encodes a JSON message (push, reply, broadcast) for the socket's serializer. */
export function encode(vsn: Vsn, f: Frame): string {
  if (vsn === '2.0.0') return JSON.stringify([f.joinRef, f.ref, f.topic, f.event, f.payload]);
  return JSON.stringify({ topic: f.topic, event: f.event, payload: f.payload, ref: f.ref, join_ref: f.joinRef });
}

export function encodeReply(vsn: Vsn, topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: unknown): string {
  return encode(vsn, { joinRef, ref, topic, event: 'phx_reply', payload: { status, response } });
}

/** A broadcast whose user payload travels as bytes (client binary pushes, REST, the database). */
export interface UserBroadcast {
  userEvent: string;
  encoding: 'json' | 'binary';
  body: Buffer;
  metadata?: Record<string, unknown> | undefined;
}

function byteLength(s: Buffer, what: string): number {
  if (s.length > 255) throw new ProtocolError(`${what} must be at most 255 bytes, is ${s.length}`);
  return s.length;
}

/**
 * Encodes a user broadcast: a binary kind-4 frame for 2.0.0 sockets; the equivalent JSON
 * broadcast for 1.0.0 sockets, or null when the payload is binary (1.0.0 cannot carry it).
 */
export function encodeUserBroadcast(vsn: Vsn, topic: string, b: UserBroadcast): string | Buffer | null {
  if (vsn === '1.0.0') {
    if (b.encoding !== 'json') return null;
    let user: unknown;
    try {
      user = JSON.parse(b.body.toString('utf8'));
    } catch {
      return null;
    }
    const payload: Record<string, unknown> = { event: b.userEvent, payload: user, type: 'broadcast' };
    if (b.metadata) payload.meta = b.metadata;
    return encode(vsn, { joinRef: null, ref: null, topic, event: 'broadcast', payload });
  }
  const topicBytes = Buffer.from(topic);
  const eventBytes = Buffer.from(b.userEvent);
  const metaBytes = b.metadata ? Buffer.from(JSON.stringify(b.metadata)) : Buffer.alloc(0);
  const header = Buffer.from([
    KIND_USER_BROADCAST,
    byteLength(topicBytes, 'topic'),
    byteLength(eventBytes, 'user event'),
    byteLength(metaBytes, 'metadata'),
    b.encoding === 'json' ? 1 : 0,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, metaBytes, b.body]);
}

/** Encodes a JSON broadcast push (`ref` and `join_ref` null, as fastlane broadcasts are). */
export function encodeBroadcast(vsn: Vsn, topic: string, event: string, payload: unknown): string {
  return encode(vsn, { joinRef: null, ref: null, topic, event, payload });
}
