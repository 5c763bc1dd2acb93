// The storage schema as the Storage API reads and writes it (src/storage/database/pg.ts). Every
// query runs inside one request-scoped transaction: connected as `supabase_storage_admin`, switched
// to the caller's role with the caller's claims, `storage.operation` and
// `storage.allow_delete_query` set once per transaction (db-scope.ts), so RLS policies on
// storage.objects / storage.buckets decide exactly as on hosted Supabase. "Super user" work
// (finding a bucket's limits, completing an upload after its permission test) runs the same way
// as `service_role`, which bypasses RLS.
import type pg from 'pg';
import { inRequestScope } from '../kit/db-scope.ts';
import { toStorageError } from './errors.ts';
import type { ListV2Query, ListV2Row } from './list-v2.ts';

export interface Caller {
  /** Database role: the JWT's `role`, `anon` without a valid token. */
  role: string;
  claims: Record<string, unknown>;
  /** The raw bearer token, '' when none. */
  token: string;
  /** The JWT `sub`: recorded as the owner of what the caller creates. */
  owner: string | undefined;
}

export interface RequestMeta {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** `storage.operation()`, e.g. `storage.object.upload`. */
  operation: string;
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  type: string;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
  [key: string]: unknown;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

export interface SearchRow {
  name: string;
  id: string | null;
  updated_at: Date | null;
  created_at: Date | null;
  last_accessed_at: Date | null;
  metadata: Record<string, unknown> | null;
}

export interface ObjectWrite {
  bucket_id: string;
  name: string;
  owner: string | undefined;
  version: string;
  metadata: Record<string, unknown> | undefined;
  user_metadata: Record<string, unknown> | undefined;
}

export interface ListBucketOptions {
  limit?: number | undefined;
  offset?: number | undefined;
  sortColumn?: 'id' | 'name' | 'created_at' | 'updated_at' | undefined;
  sortOrder?: 'asc' | 'desc' | undefined;
  search?: string | undefined;
}

const BUCKET_COLUMNS = 'id, name, owner, owner_id, public, type, file_size_limit, allowed_mime_types, created_at, updated_at';
const OBJECT_COLUMNS = 'id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function escapeLike(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/([%_])/g, '\\$1');
}

function bucketRow(r: Record<string, unknown>): BucketRow {
  return { ...(r as unknown as BucketRow), file_size_limit: r.file_size_limit === null ? null : Number(r.file_size_limit) };
}

/** `owner` keeps only UUID subjects (deprecated column); `owner_id` keeps any subject. */
function ownerColumns(owner: string | undefined): { owner: string | null; owner_id: string | null } {
  return { owner: owner && UUID.test(owner) ? owner : null, owner_id: owner ?? null };
}

/** The queries, bound to one transaction's client. */
export class Queries {
  constructor(private readonly client: pg.PoolClient) {}

  private async q<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.client.query<R>(text, values);
    } catch (e) {
      throw toStorageError(e);
    }
  }

  async findBucket(id: string, opts: { forUpdate?: boolean; isPublic?: boolean } = {}): Promise<BucketRow | undefined> {
    const values: unknown[] = [id];
    let where = 'id = $1';
    if (opts.isPublic !== undefined) {
      values.push(opts.isPublic);
      where += ' and public = $2';
    }
    const { rows } = await this.q(`select ${BUCKET_COLUMNS} from storage.buckets where ${where} limit 1${opts.forUpdate ? ' for update' : ''}`, values);
    return rows[0] ? bucketRow(rows[0]) : undefined;
  }

  async listBuckets(o: ListBucketOptions): Promise<BucketRow[]> {
    const values: unknown[] = [];
    let sql = `select ${BUCKET_COLUMNS} from storage.buckets`;
    if (o.search) {
      values.push(`%${escapeLike(o.search)}%`);
      sql += ` where name ilike $${values.length}`;
    }
    // sortColumn is one of four names (validated by the route); never user text in SQL.
    if (o.sortColumn) sql += ` order by ${o.sortColumn} ${o.sortOrder === 'desc' ? 'desc' : 'asc'}`;
    if (o.limit !== undefined) {
      values.push(o.limit);
      sql += ` limit $${values.length}`;
    }
    if (o.offset !== undefined) {
      values.push(o.offset);
      sql += ` offset $${values.length}`;
    }
    return (await this.q(sql, values)).rows.map(bucketRow);
  }

  async insertBucket(b: {
    id: string;
    name: string;
    owner: string | undefined;
    public: boolean;
    file_size_limit: number | null | undefined;
    allowed_mime_types: string[] | null | undefined;
  }): Promise<void> {
    const o = ownerColumns(b.owner);
    await this.q(
      `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, type)
       values ($1, $2, $3, $4, $5, $6, $7, 'STANDARD')`,
      [b.id, b.name, o.owner, o.owner_id, b.public, b.file_size_limit ?? null, b.allowed_mime_types ?? null],
    );
  }

  /** Updates the given columns; undefined when no row (visible to the caller) matched. */
  async updateBucket(
    id: string,
    fields: { public?: boolean | undefined; file_size_limit?: number | null | undefined; allowed_mime_types?: string[] | null | undefined },
  ): Promise<{ previousPublic: boolean } | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const col of ['public', 'file_size_limit', 'allowed_mime_types'] as const) {
      if (fields[col] === undefined) continue;
      values.push(fields[col]);
      sets.push(`${col} = $${values.length}`);
    }
    if (sets.length === 0) return undefined;
    values.push(id);
    const idParam = `$${values.length}`;
    const { rows } = await this.q<{ public: boolean }>(
      `with previous as (select public from storage.buckets where id = ${idParam})
       update storage.buckets set ${sets.join(', ')} where id = ${idParam}
       returning (select public from previous) as public`,
      values,
    );
    return rows[0] ? { previousPublic: rows[0].public } : undefined;
  }

  /** A bucket of config.toml: created, or brought in line with the file. */
  async upsertBucket(b: { id: string; public: boolean; file_size_limit: number | null; allowed_mime_types: string[] | null }): Promise<void> {
    await this.q(
      `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types, type)
       values ($1, $1, $2, $3, $4, 'STANDARD')
       on conflict (id) do update
         set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types`,
      [b.id, b.public, b.file_size_limit, b.allowed_mime_types],
    );
  }

  async deleteBucket(id: string): Promise<number> {
    return (await this.q('delete from storage.buckets where id = $1', [id])).rowCount ?? 0;
  }

  async countObjects(bucketId: string, limit: number): Promise<number> {
    return (await this.q('select 1 from storage.objects where bucket_id = $1 limit $2', [bucketId, limit])).rows.length;
  }

  /** Serializes writers of one key until the transaction ends (Storage's waitObjectLock). */
  async lockObject(bucketId: string, name: string): Promise<void> {
    await this.q('select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))', [`storage:${bucketId}/${name}`]);
  }

  async findObject(bucketId: string, name: string, opts: { forUpdate?: boolean; forShare?: boolean } = {}): Promise<ObjectRow | undefined> {
    const lock = opts.forUpdate ? ' for update' : opts.forShare ? ' for share' : '';
    const { rows } = await this.q<ObjectRow>(`select ${OBJECT_COLUMNS} from storage.objects where name = $1 and bucket_id = $2 limit 1${lock}`, [name, bucketId]);
    return rows[0];
  }

  async findObjectNames(bucketId: string, names: string[]): Promise<string[]> {
    const { rows } = await this.q<{ name: string }>('select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [bucketId, names]);
    return rows.map((r) => r.name);
  }

  /** A plain INSERT (no RETURNING): what an upload needs the INSERT policy for. */
  async insertObject(o: ObjectWrite): Promise<void> {
    const own = ownerColumns(o.owner);
    await this.q(
      `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [o.bucket_id, o.name, own.owner, own.owner_id, o.metadata ?? null, o.user_metadata ?? null, o.version],
    );
  }

  /** INSERT ... ON CONFLICT DO UPDATE ... RETURNING *: an upsert needs insert, update and select. */
  async upsertObject(o: ObjectWrite): Promise<ObjectRow> {
    const own = ownerColumns(o.owner);
    const sets = ['metadata = excluded.metadata', 'version = excluded.version'];
    if (o.user_metadata !== undefined) sets.push('user_metadata = excluded.user_metadata');
    if (o.owner !== undefined) sets.push('owner = excluded.owner', 'owner_id = excluded.owner_id');
    const { rows } = await this.q<ObjectRow>(
      `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (name, bucket_id) do update set ${sets.join(', ')}
       returning ${OBJECT_COLUMNS}`,
      [o.bucket_id, o.name, own.owner, own.owner_id, o.metadata ?? null, o.user_metadata ?? null, o.version],
    );
    return rows[0]!;
  }

  /** Renames/re-versions an object row; undefined when no row (visible to the caller) matched. */
  async updateObject(
    bucketId: string,
    name: string,
    f: { bucket_id: string; name: string; owner: string | undefined; version?: string; metadata?: Record<string, unknown> },
  ): Promise<ObjectRow | undefined> {
    const own = ownerColumns(f.owner);
    const values: unknown[] = [f.bucket_id, f.name];
    const sets = ['bucket_id = $1', 'name = $2'];
    if (f.owner !== undefined) {
      values.push(own.owner, own.owner_id);
      sets.push(`owner = $${values.length - 1}`, `owner_id = $${values.length}`);
    }
    if (f.version !== undefined) {
      values.push(f.version);
      sets.push(`version = $${values.length}`);
    }
    if (f.metadata !== undefined) {
      values.push(f.metadata);
      sets.push(`metadata = $${values.length}`);
    }
    values.push(bucketId, name);
    const { rows } = await this.q<ObjectRow>(
      `update storage.objects set ${sets.join(', ')} where bucket_id = $${values.length - 1} and name = $${values.length} returning ${OBJECT_COLUMNS}`,
      values,
    );
    return rows[0];
  }

  async deleteObjects(bucketId: string, names: string[]): Promise<ObjectRow[]> {
    if (names.length === 0) return [];
    const { rows } = await this.q<ObjectRow>(`delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning ${OBJECT_COLUMNS}`, [bucketId, names]);
    return rows;
  }

  async objectNamesInBucket(bucketId: string, limit: number): Promise<string[]> {
    const { rows } = await this.q<{ name: string }>('select name from storage.objects where bucket_id = $1 order by name collate "C" limit $2', [bucketId, limit]);
    return rows.map((r) => r.name);
  }

  async search(args: { prefix: string; bucketId: string; limit: number; levels: number; offset: number; search: string; sortColumn: string; sortOrder: string }): Promise<SearchRow[]> {
    const { rows } = await this.q<SearchRow>('select * from storage.search($1, $2, $3, $4, $5, $6, $7, $8)', [
      args.prefix,
      args.bucketId,
      args.limit,
      args.levels,
      args.offset,
      args.search,
      args.sortColumn,
      args.sortOrder,
    ]);
    return rows;
  }

  /**
   * list-v2 without a delimiter: every visible object under the prefix, ordered by name or by a
   * timestamp then name (src/storage/database/pg.ts `listObjectsV2`).
   */
  async listObjectsV2Flat(bucketId: string, o: ListV2Query): Promise<ListV2Row[]> {
    const values: unknown[] = [bucketId, o.maxKeys];
    const where = ['bucket_id = $1'];
    const column = o.sortColumn === 'name' ? undefined : o.sortColumn;
    const order = o.sortOrder === 'desc' ? 'desc' : 'asc';
    const op = order === 'asc' ? '>' : '<';
    if (o.prefix) {
      values.push(o.prefix);
      where.push(`starts_with(name, $${values.length})`);
    }
    if (o.startAfter !== undefined) {
      if (column && o.sortColumnAfter) {
        values.push(o.sortColumnAfter, o.startAfter);
        where.push(
          `row(date_trunc('milliseconds', ${column}), name collate "C") ${op} row(coalesce(nullif($${values.length - 1}, '')::timestamptz, 'epoch'::timestamptz), $${values.length})`,
        );
      } else {
        values.push(o.startAfter);
        where.push(`name collate "C" ${op} $${values.length}`);
      }
    }
    // column and order are fixed words chosen above, never user text.
    const { rows } = await this.q<ListV2Row>(
      `select id, name, metadata, updated_at, created_at, last_accessed_at
       from storage.objects
       where ${where.join(' and ')}
       order by ${column ? `${column} ${order}, ` : ''}name collate "C" ${order}
       limit $2`,
      values,
    );
    return rows;
  }

  /**
   * list-v2 with the `/` delimiter: objects directly under the prefix, and one row per folder
   * (the part of a name up to the first `/` after the prefix, without that `/`), from the objects
   * the caller can see. By name, a folder sorts where its objects would (`folder/`) and a cursor
   * that names a folder continues after everything in it; by a timestamp, a folder carries the
   * earliest `created_at` of its objects (Storage's search_v2 / search_by_timestamp).
   */
  async listObjectsV2Delimited(bucketId: string, o: ListV2Query): Promise<ListV2Row[]> {
    const byName = o.sortColumn === 'name';
    const order = o.sortOrder === 'desc' ? 'desc' : 'asc';
    const op = order === 'asc' ? '>' : '<';
    const values: unknown[] = [bucketId, o.prefix, o.maxKeys, o.levels];
    let cursor = 'true';
    if (o.startAfter !== undefined) {
      values.push(o.startAfter);
      const s = `$${values.length}`;
      if (byName) {
        cursor = `sort_key collate "C" ${op} (case when exists (select 1 from storage.objects where bucket_id = $1 and starts_with(name, ${s} || '/')) then ${s} || '/' else ${s} end)`;
      } else {
        values.push(o.sortColumnAfter ?? '');
        cursor = `row(date_trunc('milliseconds', ${o.sortColumn}), name collate "C") ${op} row(coalesce(nullif($${values.length}, '')::timestamptz, 'epoch'::timestamptz), ${s})`;
      }
    }
    const folderTime = byName ? 'null::timestamptz' : 'min(created_at)';
    const orderBy = byName ? `sort_key collate "C" ${order}` : `coalesce(date_trunc('milliseconds', ${o.sortColumn}), 'epoch'::timestamptz) ${order}, name collate "C" ${order}`;
    const { rows } = await this.q<ListV2Row>(
      `with o as (
         select name, id, updated_at, created_at, last_accessed_at, metadata,
                case when strpos(substr(name, length($2) + 1), '/') > 0
                     then left(name, length($2) + strpos(substr(name, length($2) + 1), '/')) end as folder
         from storage.objects
         where bucket_id = $1 and starts_with(name, $2)
       ), items as (
         select folder as sort_key, left(folder, -1) as name, null::uuid as id,
                ${folderTime} as updated_at, ${folderTime} as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
         from o where folder is not null group by folder
         union all
         select name, name, id, updated_at, created_at, last_accessed_at, metadata from o where folder is null
       )
       select split_part(name, '/', $4) as key, name, id, updated_at, created_at, last_accessed_at, metadata
       from items
       where ${cursor}
       order by ${orderBy}
       limit $3`,
      values,
    );
    return rows;
  }

  /** Which bucket holds each of these versions (recovery of staged files). */
  async bucketsOfVersions(versions: string[]): Promise<Map<string, string>> {
    const { rows } = await this.q<{ version: string; bucket_id: string }>('select version, bucket_id from storage.objects where version = any($1::text[])', [versions]);
    return new Map(rows.map((r) => [r.version, r.bucket_id]));
  }

  /** Every `<bucket>/<version>` a row names (the start-up sweep keeps exactly these files). */
  async allVersions(): Promise<Set<string>> {
    const { rows } = await this.q<{ key: string }>("select bucket_id || '/' || version as key from storage.objects where version is not null");
    return new Set(rows.map((r) => r.key));
  }

  async ping(): Promise<void> {
    await this.q('select id from storage.buckets limit 1');
  }
}

/** Rolls back a permission test after it succeeded. */
class RollbackSignal extends Error {}

export class StorageDb {
  constructor(
    /** Looked up at the first query, so requests answered before any query need no pool. */
    private readonly pool: () => pg.Pool,
    readonly caller: Caller,
    private readonly request: RequestMeta,
    private readonly superCaller: Caller,
  ) {}

  /** The same request, as `service_role` (bypasses RLS). */
  asSuperUser(): StorageDb {
    return new StorageDb(this.pool, this.superCaller, this.request, this.superCaller);
  }

  get isSuperUser(): boolean {
    return this.caller === this.superCaller;
  }

  /** Runs `fn` in one transaction as this caller; commits when it returns. */
  async tx<T>(fn: (q: Queries) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
    try {
      return await inRequestScope(
        this.pool(),
        {
          role: this.caller.role,
          claims: this.caller.claims,
          method: this.request.method,
          path: this.request.path,
          headers: this.request.headers,
          settings: {
            'request.jwt': this.caller.token,
            'storage.operation': this.request.operation,
            'storage.allow_delete_query': 'true',
          },
          readOnly: opts.readOnly ?? false,
        },
        (client) => fn(new Queries(client)),
      );
    } catch (e) {
      throw e instanceof RollbackSignal ? e : toStorageError(e);
    }
  }

  /** Runs `fn` as this caller and always rolls back: does RLS let the caller do this? */
  async testPermission<T>(fn: (q: Queries) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await this.tx(async (q) => {
        result = await fn(q);
        throw new RollbackSignal();
      });
    } catch (e) {
      if (e instanceof RollbackSignal) return result as T;
      throw e;
    }
    return result as T;
  }
}
