// Broadcast from the database (Realtime's ReplicationConnection on realtime.messages): every
// committed row inserted by realtime.send / send_binary / broadcast_changes goes to the topic's
// subscribers as a user broadcast with `meta.id`, to private or public channels as the row says.
import type { Hub } from './hub.ts';
import { topicKey } from './hub.ts';
import type { UserBroadcast } from './protocol.ts';
import { byteaToBuffer, type WalChange } from './wal.ts';

export interface MessageRow {
  topic: string;
  event: string;
  isPrivate: boolean;
  broadcast: UserBroadcast;
}

/** The broadcast a realtime.messages insert stands for, or a reason it has none. */
export function messageFromWal(change: WalChange): MessageRow | { skip: string } {
  if (change.action !== 'I') return { skip: 'not an insert' };
  const col = (name: string) => change.columns.find((c) => c.name === name)?.value ?? null;
  const [topic, event, id, priv] = [col('topic'), col('event'), col('id'), col('private')];
  if (topic === null) return { skip: 'topic_missing' };
  if (event === null) return { skip: 'event_missing' };
  if (id === null) return { skip: 'id_missing' };
  if (priv === null) return { skip: 'private_missing' };
  const binary = col('binary_payload');
  const json = col('payload');
  let body: Buffer;
  let encoding: 'json' | 'binary';
  if (binary !== null) [body, encoding] = [byteaToBuffer(binary), 'binary'];
  else if (json !== null) [body, encoding] = [Buffer.from(json), 'json'];
  else return { skip: 'payload_missing' };
  return { topic, event, isPrivate: priv === 'true', broadcast: { userEvent: event, encoding, body, metadata: { id } } };
}

export function broadcastFromDatabase(hub: Hub, change: WalChange, maxPayloadBytes: number, log: (r: Record<string, unknown>) => void): void {
  const m = messageFromWal(change);
  if ('skip' in m) {
    if (m.skip !== 'not an insert') log({ level: 'error', msg: 'realtime: database broadcast skipped', code: 'UnableToBroadcastChanges', reason: m.skip });
    return;
  }
  if (m.broadcast.body.length > maxPayloadBytes) {
    log({ level: 'error', msg: 'realtime: database broadcast too large', code: 'UnableToBroadcastChanges', reason: 'payload_size_exceeded', topic: m.topic });
    return;
  }
  hub.broadcastUser(topicKey(m.topic, m.isPrivate), m.broadcast);
}
