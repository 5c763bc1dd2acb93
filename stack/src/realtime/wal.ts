// wal2json (format-version 2) change records, read without losing precision: numbers stay the
// text Postgres wrote (int8 and numeric do not fit a JS number), values are kept as text exactly
// as they will be cast back in SQL. Also the commit timestamp format Realtime sends.

export interface WalColumn {
  name: string;
  /** wal2json's type name (`integer`, `timestamp with time zone` ...). */
  type: string;
  typeoid: number;
  /** The value as Postgres text, or null for SQL NULL. */
  value: string | null;
}

export interface WalChange {
  action: 'I' | 'U' | 'D';
  /** The writing transaction (32-bit xid). */
  xid: number | undefined;
  schema: string;
  table: string;
  /** Commit time as wal2json writes it (`2024-05-01 12:00:00.123456+00`). */
  timestamp: string;
  columns: WalColumn[];
  /** Old key (default replica identity) or old row (replica identity full); absent on INSERT. */
  identity: WalColumn[];
  pk: string[];
  /** Size of the raw record, for the max record bytes check. */
  bytes: number;
}

/** Quotes bare JSON numbers that are `"value"`s so JSON.parse keeps their digits. */
export function quoteNumericValues(json: string): string {
  return json.replace(/"value":(-?\d[\d.eE+-]*)/g, '"value":"$1"');
}

function columnsOf(raw: unknown): WalColumn[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((c: Record<string, unknown>) => {
    const v = c.value;
    return {
      name: String(c.name),
      type: String(c.type ?? ''),
      typeoid: Number(c.typeoid ?? 0),
      value: v === null || v === undefined ? null : typeof v === 'string' ? v : String(v),
    };
  });
}

/** Parses one wal2json v2 message; undefined for anything that is not a row change. */
export function parseWal2json(text: string): WalChange | undefined {
  const raw = JSON.parse(quoteNumericValues(text)) as Record<string, unknown>;
  const action = raw.action;
  if (action !== 'I' && action !== 'U' && action !== 'D') return undefined;
  return {
    action,
    xid: raw.xid === undefined ? undefined : Number(raw.xid),
    schema: String(raw.schema),
    table: String(raw.table),
    timestamp: String(raw.timestamp ?? ''),
    columns: columnsOf(raw.columns),
    identity: columnsOf(raw.identity),
    pk: Array.isArray(raw.pk) ? raw.pk.map((p: Record<string, unknown>) => String(p.name)) : [],
    bytes: Buffer.byteLength(text),
  };
}

/** Realtime's `commit_timestamp`: UTC, milliseconds, `Z` (`YYYY-MM-DDTHH24:MI:SS.MSZ`). */
export function commitTimestamp(walTimestamp: string): string {
  // wal2json: `2024-05-01 12:00:00.123456+00` (or +05:30, or without fraction)
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})(?::?(\d{2}))?$/.exec(walTimestamp);
  if (!m) {
    const d = new Date(walTimestamp);
    return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
  }
  const [, date, time, frac = '', tzh = '+00', tzm = '00'] = m;
  const ms = (frac.slice(1) + '000').slice(0, 3);
  const d = new Date(`${date}T${time}.${ms}${tzh}:${tzm}`);
  return d.toISOString();
}

/** True for the rows Realtime broadcasts from the database: inserts into realtime.messages partitions. */
export const isMessagesChange = (c: WalChange): boolean => c.schema === 'realtime' && c.table.startsWith('messages');

/** `\x0102...` (bytea hex output) to bytes. */
export function byteaToBuffer(text: string): Buffer {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'binary');
}
