// Realtime's limits (supabase.com/docs/guides/realtime/limits, Free plan); the reasons the server
// answers when they are hit are in reasons.ts. Each can be changed with an environment variable of the
// gateway; 0 turns the tenant-wide ones off.

export interface RealtimeLimits {
  /** Messages a client may send per second (broadcast, presence, other events). Free plan: 100. */
  maxEventsPerSecond: number;
  /** Channels one websocket may join. All plans: 100. */
  maxChannelsPerClient: number;
  /** Broadcast / presence payload size in bytes. Free plan: 256 KB (+500 bytes, as the server pads). */
  maxPayloadBytes: number;
  /** Concurrent sockets of the project; 0 = unlimited (hosted Free: 200). */
  maxConcurrentUsers: number;
  /** Channel joins per second across the project; 0 = unlimited (hosted Free: 100). */
  maxJoinsPerSecond: number;
  /** Presence track/untrack calls a channel may make per window (server default: 5 per 30 s). */
  clientPresenceMaxCalls: number;
  clientPresenceWindowMs: number;
  /** Delay before a join error is answered, against rejoin storms (server default 5 s). */
  channelErrorBackoffMs: number;
  /** postgres_changes records above this size carry "Error 413: Payload Too Large". */
  maxRecordBytes: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function readLimits(env: NodeJS.ProcessEnv = process.env): RealtimeLimits {
  return {
    maxEventsPerSecond: int(env, 'REALTIME_MAX_EVENTS_PER_SECOND', 100),
    maxChannelsPerClient: int(env, 'REALTIME_MAX_CHANNELS_PER_CLIENT', 100),
    maxPayloadBytes: int(env, 'REALTIME_MAX_PAYLOAD_SIZE_KB', 256) * 1000 + 500,
    maxConcurrentUsers: int(env, 'REALTIME_MAX_CONCURRENT_USERS', 0),
    maxJoinsPerSecond: int(env, 'REALTIME_MAX_JOINS_PER_SECOND', 0),
    clientPresenceMaxCalls: int(env, 'REALTIME_CLIENT_PRESENCE_MAX_CALLS', 5),
    clientPresenceWindowMs: int(env, 'REALTIME_CLIENT_PRESENCE_WINDOW_MS', 30_000),
    channelErrorBackoffMs: int(env, 'REALTIME_CHANNEL_ERROR_BACKOFF_MS', 1000),
    maxRecordBytes: int(env, 'REALTIME_MAX_RECORD_BYTES', 1024 * 1024),
  };
}

/** Counts events in fixed windows; `hit` says whether one more event fits in the current one. */
export class WindowCounter {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  hit(now = Date.now(), n = 1): boolean {
    if (this.limit <= 0) return true;
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count + n > this.limit) return false;
    this.count += n;
    return true;
  }
}
