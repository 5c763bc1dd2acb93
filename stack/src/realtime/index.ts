// `/realtime/v1`: Supabase Realtime in the gateway. The websocket (`/realtime/v1/websocket`,
// Phoenix channels, serializers 1.0.0 and 2.0.0) with broadcast, presence and postgres_changes;
// the REST broadcast API; broadcasts from the database; daily partitions of realtime.messages.
// One wal2json replication stream feeds postgres_changes and database broadcasts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import { WebSocketServer } from 'ws';
import { legacyJwtOf, resolveApiKey } from '../kit/api-keys.ts';
import type { GatewayContext } from '../kit/context.ts';
import type { GatewayEnv, Service } from '../kit/service.ts';
import { Connection } from './connection.ts';
import { broadcastFromDatabase } from './database-broadcast.ts';
import { Hub } from './hub.ts';
import { readLimits, WindowCounter } from './limits.ts';
import { REASONS } from './reasons.ts';
import { maintainPartitions } from './partitions.ts';
import { PostgresChanges } from './postgres-changes.ts';
import { VSNS, type Vsn } from './protocol.ts';
import { ReplicationStream } from './replication.ts';
import { broadcastRoutes } from './broadcast-api.ts';
import type { Runtime } from './runtime.ts';
import { verifyRealtimeToken } from './token.ts';
import { isMessagesChange } from './wal.ts';

const PREFIX = '/realtime/v1';
/** Phoenix's websocket timeout: a socket silent this long (no heartbeat) is closed. */
const IDLE_TIMEOUT_MS = 60_000;
const HOUR = 3_600_000;

function reject(socket: Duplex, status: number, statusText: string, body: Record<string, string>): void {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}

export function realtimeService(ctx: GatewayContext): Service {
  const limits = readLimits();
  const connections = new Set<Connection>();
  const log = (record: Record<string, unknown>) => ctx.log({ service: 'realtime', ...record });
  const hub = new Hub({ onError: (e) => log({ level: 'error', msg: 'realtime: fan-out write failed', err: e.stack ?? e.message }) });

  const admin = () => ctx.pool('supabase_admin');
  const authenticator = () => ctx.pool('authenticator');
  const changes = new PostgresChanges({ admin, authenticator, log, limits });
  const replication = new ReplicationStream({
    inst: ctx.inst,
    log,
    wants: (schema, table) => (schema === 'realtime' && table.startsWith('messages')) || changes.wants(schema, table),
    onChange(change) {
      if (isMessagesChange(change)) broadcastFromDatabase(hub, change, limits.maxPayloadBytes, log);
      else changes.onChange(change);
    },
  });
  const rt: Runtime = {
    ctx,
    limits,
    hub,
    changes,
    replication,
    joins: new WindowCounter(limits.maxJoinsPerSecond, 1000),
    admin,
    authenticator,
    log,
  };

  let stopping = false;
  let partitionsError: string | undefined;
  const runPartitions = () =>
    maintainPartitions(rt.admin())
      .then((r) => {
        partitionsError = undefined;
        if (r.created.length || r.dropped.length) log({ level: 'info', msg: 'realtime.messages partitions', ...r });
      })
      .catch((e: Error) => {
        partitionsError = e.message;
        log({ level: 'error', msg: 'realtime: partition maintenance failed', code: 'PartitionCreationFailed', err: e.message });
      });

  // Start-up: forget stale subscriptions, make partitions, open the replication stream.
  void rt.changes.resetSubscriptions().catch((e: Error) => log({ level: 'warn', msg: 'realtime: could not reset subscriptions', err: e.message }));
  void runPartitions();
  rt.replication.start();
  const partitionTimer = setInterval(() => void runPartitions(), HOUR);
  partitionTimer.unref();
  const idleTimer = setInterval(() => {
    const limit = Date.now() - IDLE_TIMEOUT_MS;
    for (const conn of connections) if (conn.lastSeen < limit) conn.disconnect('heartbeat timeout', 1000);
  }, 15_000);
  idleTimer.unref();

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024, perMessageDeflate: false });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== `${PREFIX}/websocket` && url.pathname !== `${PREFIX}/websocket/`) {
      reject(socket, 404, 'Not Found', { message: 'no Route matched with those values' });
      return;
    }
    if (stopping) {
      reject(socket, 503, 'Service Unavailable', { error: 'Realtime is restarting, please standby' });
      return;
    }
    // The gateway in front of Realtime: no key is anon, an opaque key is the JWT it stands for.
    const apikey = await resolveApiKey(url.searchParams.get('apikey') ?? (req.headers.apikey as string | undefined), ctx.keys, ctx.jwtKeys);
    if (!apikey) return reject(socket, 401, 'Unauthorized', { message: 'Invalid authentication credentials' });
    // Realtime's UserSocket.connect.
    const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn;
    if (!VSNS.includes(vsn)) return reject(socket, 400, 'Bad Request', { error: `unsupported serializer version ${vsn}` });
    const xApiKey = req.headers['x-api-key'] as string | undefined;
    const token = xApiKey === undefined ? apikey : legacyJwtOf(xApiKey, ctx.keys);
    const verified = await verifyRealtimeToken(token, ctx.jwtKeys);
    if (!verified.ok) return reject(socket, 401, 'Unauthorized', { error: verified.message });
    if (limits.maxConcurrentUsers > 0 && connections.size >= limits.maxConcurrentUsers) {
      log({ level: 'error', msg: 'realtime connection refused', code: 'ConnectionRateLimitReached' });
      return reject(socket, 429, 'Too Many Requests', { error: REASONS.tooManyConnections.replace(/^.*: /, '') });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'apikey' && k !== 'authorization') headers[k] = v;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(rt, ws, vsn, token, headers);
      connections.add(conn);
      ws.on('close', () => connections.delete(conn));
    });
  }

  const app = new Hono<GatewayEnv>();
  app.route('/', broadcastRoutes(rt));
  app.get('/api/ping', (c) => c.json({ message: 'Success' }));
  app.all('/websocket', (c) => c.json({ message: 'Expected a websocket upgrade' }, 400));

  return {
    prefix: PREFIX,
    name: 'realtime',
    app,
    upgrade(req, socket, head) {
      upgrade(req, socket, head).catch((e: Error) => {
        log({ level: 'error', msg: 'realtime: upgrade failed', err: e.stack ?? e.message });
        if (!socket.destroyed) reject(socket, 500, 'Internal Server Error', { error: 'Error connecting to Realtime' });
      });
    },
    async health() {
      await rt.admin().query('select 1');
      if (rt.replication.state !== 'streaming') {
        return `replication ${rt.replication.state}${rt.replication.lastError ? `: ${rt.replication.lastError}` : ''}`;
      }
      if (partitionsError) return `realtime.messages partitions: ${partitionsError}`;
      return true;
    },
    async close() {
      stopping = true;
      clearInterval(partitionTimer);
      clearInterval(idleTimer);
      for (const conn of connections) conn.shutdown();
      await rt.replication.stop();
      await rt.changes.resetSubscriptions().catch(() => undefined);
      wss.close();
    },
  };
}
