// Presence of one topic as Phoenix.Presence keeps it: each tracking channel holds one meta under
// its presence key; `presence_state` groups them `{key: {metas: [...]}}`, `presence_diff` is
// `{joins, leaves}` in the same shape. An update is a leave of the old meta plus a join of the new
// one carrying `phx_ref_prev`.
import { randomBytes } from 'node:crypto';

export type Meta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceMap = Record<string, { metas: Meta[] }>;
export interface PresenceDiff {
  joins: PresenceMap;
  leaves: PresenceMap;
}

interface Entry {
  key: string;
  meta: Meta;
}

export const newRef = (): string => randomBytes(9).toString('base64');

function add(map: PresenceMap, key: string, meta: Meta): void {
  (map[key] ??= { metas: [] }).metas.push(meta);
}

export class TopicPresence<Owner extends object = object> {
  private readonly entries = new Map<Owner, Entry>();

  get size(): number {
    return this.entries.size;
  }

  isTracked(owner: Owner): boolean {
    return this.entries.has(owner);
  }

  /** Tracks (or updates) the owner's meta; returns the diff to broadcast. */
  track(owner: Owner, key: string, payload: Record<string, unknown>, ref = newRef()): PresenceDiff {
    const diff: PresenceDiff = { joins: {}, leaves: {} };
    const previous = this.entries.get(owner);
    const meta: Meta = { ...payload, phx_ref: ref };
    if (previous) {
      meta.phx_ref_prev = previous.meta.phx_ref;
      add(diff.leaves, previous.key, previous.meta);
    }
    this.entries.set(owner, { key, meta });
    add(diff.joins, key, meta);
    return diff;
  }

  /** Untracks the owner; returns the diff, or undefined when it was not tracked. */
  untrack(owner: Owner): PresenceDiff | undefined {
    const previous = this.entries.get(owner);
    if (!previous) return undefined;
    this.entries.delete(owner);
    const diff: PresenceDiff = { joins: {}, leaves: {} };
    add(diff.leaves, previous.key, previous.meta);
    return diff;
  }

  state(): PresenceMap {
    const out: PresenceMap = {};
    for (const { key, meta } of this.entries.values()) add(out, key, meta);
    return out;
  }
}
