// The OpenAPI (Swagger 2.0) document PostgREST serves at the root (Response/OpenAPI.hs), pure:
// one path per table and function the role may use, definitions from columns with their
// comments, primary and foreign key notes, and PostgREST's shared parameters. respondOpenApi
// reads what the caller's role may use, in the request's scope, and answers with the document.
import type { Runner } from './execute.ts';
import type { OpenApiPlan } from './plan/types.ts';
import type { ApiRequest } from './request.ts';
import type { HttpResponse } from './respond.ts';
import { qiKey, type Column, type Routine, type RoutineParam, type SchemaCache, type Table } from './schema-cache.ts';

export const POSTGREST_VERSION = '12.2.3';

export interface OpenApiInput {
  cache: SchemaCache;
  schema: string;
  /** Names the role can use; tables and functions outside are left out (follow-privileges). */
  accessibleTables: Set<string>;
  accessibleFunctions: Set<string>;
  host: string;
  basePath: string;
}

type Json = Record<string, unknown>;

function swaggerType(t: string): string | undefined {
  switch (t) {
    case 'character varying':
    case 'character':
    case 'text':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'numeric':
    case 'real':
    case 'double precision':
      return 'number';
    case 'json':
    case 'jsonb':
      return undefined;
    default:
      return t.endsWith('[]') ? 'array' : 'string';
  }
}

function swaggerFormat(t: string): string {
  if (t === 'smallint' || t === 'integer') return 'int32';
  if (t === 'bigint') return 'int64';
  return t;
}

function parseDefault(type: string, def: string): unknown {
  let text = def;
  if (swaggerType(type) === 'string') {
    const suffix = `::${type}`;
    const stripped = def.endsWith(suffix) ? def.slice(0, -suffix.length).replace(/^'+|'+$/g, '') : def;
    text = JSON.stringify(stripped);
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fkNote(cache: SchemaCache, table: Table, col: Column): string | undefined {
  const rels = cache.relationships.get(qiKey(table)) ?? [];
  const sorted = [...rels].sort((a, b) => Number(a.foreignTableIsView) - Number(b.foreignTableIsView));
  for (const r of sorted) {
    const c = r.cardinality;
    if ((c.type === 'm2o' || (c.type === 'o2o' && !c.isParent)) && c.columns.length === 1 && c.columns[0]?.[0] === col.name) {
      const fcol = c.columns[0]?.[1] ?? '';
      const ft = r.foreignTable.name;
      return `This is a Foreign Key to \`${ft}.${fcol}\`.<fk table='${ft}' column='${fcol}'/>`;
    }
  }
  return undefined;
}

function property(cache: SchemaCache, table: Table, col: Column): Json {
  const notes = ['Note:'];
  if (table.pk.includes(col.name)) notes.push('This is a Primary Key.<pk/>');
  const fk = fkNote(cache, table, col);
  if (fk) notes.push(fk);
  const description = notes.length > 1 ? `${col.description === null ? '' : `${col.description}\n\n`}${notes.join('\n')}` : col.description;
  const s: Json = {};
  if (col.default !== null) {
    const d = parseDefault(col.dataType, col.default);
    if (d !== undefined) s.default = d;
  }
  if (description !== null) s.description = description;
  if (col.enum.length > 0) s.enum = col.enum;
  s.format = swaggerFormat(col.dataType);
  if (col.maxLength !== null) s.maxLength = col.maxLength;
  const type = swaggerType(col.dataType);
  if (type !== undefined) s.type = type;
  if (type === 'array') {
    const itemType = swaggerType(col.dataType.slice(0, -2));
    s.items = itemType === undefined ? {} : { type: itemType };
  }
  return s;
}

function tableDefinition(cache: SchemaCache, t: Table): Json {
  const def: Json = {};
  if (t.description !== null) def.description = t.description;
  def.required = t.columns.filter((c) => !c.nullable).map((c) => c.name);
  def.properties = Object.fromEntries(t.columns.map((c) => [c.name, property(cache, t, c)]));
  def.type = 'object';
  if ((def.required as string[]).length === 0) delete def.required;
  return def;
}

function splitDescription(d: string | null): { summary?: string; description?: string } {
  if (d === null) return {};
  const i = d.indexOf('\n');
  if (i === -1) return { summary: d };
  const rest = d.slice(i).replace(/^\n+/, '');
  return rest === '' ? { summary: d.slice(0, i) } : { summary: d.slice(0, i), description: rest };
}

const ref = (name: string) => ({ $ref: `#/parameters/${name}` });

function tablePath(t: Table): Json {
  const rowFilters = t.columns.map((c) => ref(`rowFilter.${t.name}.${c.name}`));
  const base = { tags: [t.name], ...splitDescription(t.description) };
  const get = {
    ...base,
    parameters: [...rowFilters, ref('select'), ref('order'), ref('range'), ref('rangeUnit'), ref('offset'), ref('limit'), ref('preferCount')],
    responses: {
      '200': { description: 'OK', schema: { items: { $ref: `#/definitions/${t.name}` }, type: 'array' } },
      '206': { description: 'Partial Content' },
    },
  };
  const path: Json = { get };
  if (t.insertable || t.updatable || t.deletable) {
    path.post = { ...base, parameters: [ref(`body.${t.name}`), ref('select'), ref('preferPost')], responses: { '201': { description: 'Created' } } };
    path.delete = { ...base, parameters: [...rowFilters, ref('preferReturn')], responses: { '204': { description: 'No Content' } } };
    path.patch = { ...base, parameters: [...rowFilters, ref(`body.${t.name}`), ref('preferReturn')], responses: { '204': { description: 'No Content' } } };
  }
  return path;
}

function paramSchema(p: RoutineParam): Json {
  const s: Json = { format: swaggerFormat(p.type) };
  const type = swaggerType(p.type);
  if (type !== undefined) s.type = type;
  if (type === 'array') {
    const itemType = swaggerType(p.type.slice(0, -2));
    s.items = itemType === undefined ? {} : { type: itemType };
  }
  return s;
}

function functionPath(r: Routine): Json {
  const base = {
    tags: [`(rpc) ${r.name}`],
    ...splitDescription(r.description),
    produces: ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json'],
    responses: { '200': { description: 'OK' } },
  };
  const required = r.params.filter((p) => p.required).map((p) => p.name);
  const bodySchema: Json = { properties: Object.fromEntries(r.params.map((p) => [p.name, paramSchema(p)])), type: 'object' };
  if (r.description !== null) bodySchema.description = r.description;
  if (required.length > 0) bodySchema.required = required;
  const post = { ...base, parameters: [{ in: 'body', name: 'args', required: true, schema: bodySchema }, ref('preferParams')] };
  if (r.volatility === 'volatile') return { post };
  const getParams = r.params.map((p) => {
    const t = swaggerType(p.type);
    return p.variadic
      ? { in: 'query', name: p.name, required: p.required, type: t ?? 'string', collectionFormat: 'multi', items: { type: swaggerType(p.type.slice(0, -2)) ?? 'string', format: swaggerFormat(p.type.slice(0, -2)) } }
      : { format: swaggerFormat(p.type), in: 'query', name: p.name, required: p.required, type: t === undefined || t === 'array' ? 'string' : t };
  });
  return { get: { ...base, parameters: getParams }, post };
}

function preferParam(values: string[]): Json {
  const p: Json = { description: 'Preference', in: 'header', name: 'Prefer', required: false, type: 'string' };
  if (values.length > 0) p.enum = values;
  return p;
}

export function buildOpenApi(input: OpenApiInput): Json {
  const { cache, schema } = input;
  const tables = [...cache.tables.values()].filter((t) => t.schema === schema && input.accessibleTables.has(t.name));
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const routines = [...cache.routines.values()].flat().filter((r) => r.schema === schema && input.accessibleFunctions.has(r.name));
  routines.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const paths: Json = {
    '/': {
      get: {
        produces: ['application/openapi+json', 'application/json'],
        responses: { '200': { description: 'OK' } },
        summary: 'OpenAPI description (this document)',
        tags: ['Introspection'],
      },
    },
  };
  for (const t of tables) paths[`/${t.name}`] = tablePath(t);
  for (const r of routines) paths[`/rpc/${r.name}`] = functionPath(r);

  const parameters: Json = {
    preferParams: preferParam([]),
    preferReturn: preferParam(['return=representation', 'return=minimal', 'return=none']),
    preferCount: preferParam(['count=none']),
    preferPost: preferParam(['return=representation', 'return=minimal', 'return=none', 'resolution=ignore-duplicates', 'resolution=merge-duplicates']),
    select: { description: 'Filtering Columns', in: 'query', name: 'select', required: false, type: 'string' },
    on_conflict: { description: 'On Conflict', in: 'query', name: 'on_conflict', required: false, type: 'string' },
    order: { description: 'Ordering', in: 'query', name: 'order', required: false, type: 'string' },
    range: { description: 'Limiting and Pagination', in: 'header', name: 'Range', required: false, type: 'string' },
    rangeUnit: { default: 'items', description: 'Limiting and Pagination', in: 'header', name: 'Range-Unit', required: false, type: 'string' },
    offset: { description: 'Limiting and Pagination', in: 'query', name: 'offset', required: false, type: 'string' },
    limit: { description: 'Limiting and Pagination', in: 'query', name: 'limit', required: false, type: 'string' },
  };
  for (const t of tables) {
    parameters[`body.${t.name}`] = { description: t.name, in: 'body', name: t.name, required: false, schema: { $ref: `#/definitions/${t.name}` } };
    for (const c of t.columns) {
      const p: Json = { in: 'query', name: c.name, required: false, type: 'string' };
      if (c.description !== null) p.description = c.description;
      parameters[`rowFilter.${t.name}.${c.name}`] = p;
    }
  }

  const desc = cache.schemaDescriptions.get(schema) ?? null;
  const split = desc === null ? { title: undefined, rest: undefined } : { title: desc.split('\n')[0], rest: desc.includes('\n') ? desc.slice(desc.indexOf('\n')).replace(/^\n+/, '') : undefined };
  const mimes = ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'];
  return {
    swagger: '2.0',
    info: {
      description: split.rest ?? 'This is a dynamic API generated by PostgREST',
      title: split.title ?? 'PostgREST API',
      version: POSTGREST_VERSION,
    },
    host: input.host,
    basePath: input.basePath,
    schemes: ['http'],
    consumes: mimes,
    produces: mimes,
    paths,
    definitions: Object.fromEntries(tables.map((t) => [t.name, tableDefinition(cache, t)])),
    parameters,
    externalDocs: { description: 'PostgREST Documentation', url: 'https://postgrest.org/en/v12/references/api.html' },
  };
}

/** The tables and functions the current role may use, for the OpenAPI document. */
export const ACCESSIBLE_SQL = `
select 'table' as kind, n.nspname as schema, c.relname as name
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
  and (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')
       or pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE'))
union all
select 'function', n.nspname, p.proname
from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where n.nspname = $1 and pg_catalog.has_function_privilege(p.oid, 'EXECUTE')`;

/** `GET /rest/v1/` (and HEAD): the document for the caller's role, read through the request's runner. */
export async function respondOpenApi(
  runner: Runner,
  plan: OpenApiPlan,
  req: ApiRequest,
  cache: SchemaCache,
  where: { host: string; basePath: string },
): Promise<HttpResponse> {
  const rows = await runner.query<{ kind: string; name: string }>({ text: ACCESSIBLE_SQL, values: [plan.schema] });
  const doc = buildOpenApi({
    cache,
    schema: plan.schema,
    accessibleTables: new Set(rows.filter((r) => r.kind === 'table').map((r) => r.name)),
    accessibleFunctions: new Set(rows.filter((r) => r.kind === 'function').map((r) => r.name)),
    host: where.host,
    basePath: where.basePath,
  });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/openapi+json; charset=utf-8', ...(req.negotiatedByProfile ? { 'Content-Profile': req.schema } : {}) },
    body: plan.headOnly ? '' : JSON.stringify(doc),
  };
}
