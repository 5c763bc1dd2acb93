// Daily partitions of realtime.messages, kept ahead of time as Realtime's janitor does
// (yesterday … today+3, dropped after 72 hours), so realtime.send() never depends on the
// catch-all DEFAULT partition. A day whose rows already sit in the DEFAULT partition has them
// moved into its new partition in the same transaction.
import type pg from 'pg';

export interface PartitionReport {
  created: string[];
  dropped: string[];
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
export const partitionName = (day: string): string => `messages_${day.replace(/-/g, '_')}`;

/** The days to cover, from `now` (UTC): yesterday through today+3. */
export function wantedDays(now: Date): string[] {
  const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return [-1, 0, 1, 2, 3].map((offset) => isoDay(new Date(base + offset * 86_400_000)));
}

/** Partitions older than 72 hours (by the day in their name). */
export function expiredPartitions(names: string[], now: Date): string[] {
  const limit = isoDay(new Date(now.getTime() - 72 * 3_600_000));
  return names.filter((n) => {
    const m = /^messages_(\d{4})_(\d{2})_(\d{2})$/.exec(n);
    return m !== null && `${m[1]}-${m[2]}-${m[3]}` < limit;
  });
}

const nextDay = (day: string): string => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000));

export async function maintainPartitions(pool: pg.Pool, now = new Date()): Promise<PartitionReport> {
  const report: PartitionReport = { created: [], dropped: [] };
  const { rows: parent } = await pool.query<{ partitioned: boolean; owner: string }>(
    `select c.relkind = 'p' as partitioned, pg_catalog.pg_get_userbyid(c.relowner) as owner
       from pg_catalog.pg_class c where c.oid = pg_catalog.to_regclass('realtime.messages')`,
  );
  if (!parent[0]?.partitioned) return report;
  const owner = parent[0].owner;
  const { rows: existing } = await pool.query<{ name: string; is_default: boolean }>(
    `select c.relname as name, pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' as is_default
       from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'realtime.messages'::regclass`,
  );
  const names = new Set(existing.map((r) => r.name));
  const defaultPartition = existing.find((r) => r.is_default)?.name;

  for (const day of wantedDays(now)) {
    const name = partitionName(day);
    if (names.has(name)) continue;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('lock table realtime.messages in share row exclusive mode');
      const to = nextDay(day);
      const bounds = `for values from ('${day}') to ('${to}')`;
      if (defaultPartition) {
        // Rows of that day already in the DEFAULT partition would make the attach fail: move them.
        await client.query(`create table realtime.${name} (like realtime.messages including defaults including constraints)`);
        await client.query(
          `with moved as (delete from realtime.${defaultPartition} where inserted_at >= $1::timestamp and inserted_at < $2::timestamp returning *)
           insert into realtime.${name} select * from moved`,
          [day, to],
        );
        await client.query(`alter table realtime.messages attach partition realtime.${name} ${bounds}`);
      } else {
        await client.query(`create table realtime.${name} partition of realtime.messages ${bounds}`);
      }
      await client.query(`alter table realtime.${name} owner to ${JSON.stringify(owner)}`);
      await client.query('commit');
      report.created.push(name);
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      if ((e as { code?: string }).code !== '42P07') throw e; // created meanwhile
    } finally {
      client.release();
    }
  }

  for (const name of expiredPartitions([...names], now)) {
    await pool.query(`drop table if exists realtime.${name}`);
    report.dropped.push(name);
  }
  return report;
}
