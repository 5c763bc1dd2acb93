// What the realtime handlers share: the gateway context, limits, the hub, postgres_changes and
// the replication stream.
import type pg from 'pg';
import type { GatewayContext } from '../kit/context.ts';
import type { Hub } from './hub.ts';
import type { RealtimeLimits, WindowCounter } from './limits.ts';
import type { PostgresChanges } from './postgres-changes.ts';
import type { ReplicationStream } from './replication.ts';

export interface Runtime {
  ctx: GatewayContext;
  limits: RealtimeLimits;
  hub: Hub;
  changes: PostgresChanges;
  replication: ReplicationStream;
  /** Project-wide joins per second (off unless REALTIME_MAX_JOINS_PER_SECOND is set). */
  joins: WindowCounter;
  /** Connects as supabase_admin: authorization probes, subscriptions, catalog reads. */
  admin(): pg.Pool;
  /** Connects as authenticator: RLS checks of postgres_changes rows as the subscriber. */
  authenticator(): pg.Pool;
  log(record: Record<string, unknown>): void;
}
