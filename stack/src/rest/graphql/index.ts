// `/graphql/v1`: pg_graphql's dialect over the exposed `public` schema. On hosted Supabase this
// route is PostgREST calling `graphql_public.graphql(...)`; here graphql-js parses, validates and
// introspects a schema built from the REST schema cache (model.ts, schema.ts), and every root
// field runs as one SQL statement (sql.ts) inside the REST service's request scope: one
// transaction as the caller's role with the JWT claims set, so RLS applies. Like pg_graphql, any
// error rolls the whole request back and answers 200 `{"data": null, "errors": [{"message"}]}`.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  execute,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type ValidationRule,
} from 'graphql';
import { z } from 'zod';
import type { GatewayContext } from '../../kit/context.ts';
import { isConnectionFailure } from '../../kit/db-errors.ts';
import type { RequestScope } from '../../kit/db-scope.ts';
import { edge } from '../../kit/forwarded.ts';
import type { GatewayEnv, Service } from '../../kit/service.ts';
import type { RestDatabase } from '../db.ts';
import { errorResponse, Errors, RestError, toRestError } from '../errors.ts';
import type { Runner } from '../execute.ts';
import { MAX_BODY_BYTES, parseCookies, resolveCaller } from '../index.ts';
import type { SqlStatement } from '../render.ts';
import type { SchemaCache } from '../schema-cache.ts';
import { loadCatalog } from './catalog.ts';
import { buildModel } from './model.ts';
import { buildSchema, NODE_TYPE, type BuiltSchema } from './schema.ts';
import { Compiler, GraphqlError } from './sql.ts';

const PREFIX = '/graphql/v1';
/** The schema pg_graphql reflects (the API's search_path on hosted Supabase). */
const SCHEMA = 'public';

const Body = z.object({
  query: z.string(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
  extensions: z.unknown().optional(),
});

export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors?: { message: string }[];
}

const failure = (message: string): GraphqlResponse => ({ data: null, errors: [{ message }] });

/** graphql-js words a few validation errors differently from pg_graphql; these are its words. */
function pgGraphqlMessage(e: GraphQLError): string {
  const unknown = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(e.message);
  if (unknown) return `Unknown field "${unknown[1]}" on type ${unknown[2]}`;
  if (/^Unknown operation named/.test(e.message)) return 'Operation not found';
  return e.message;
}

/** Without `"introspection": true` on the schema's comment, pg_graphql knows no `__schema`/`__type`. */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const name = node.name.value;
    if ((name === '__schema' || name === '__type') && context.getParentType()?.name === 'Query') {
      context.reportError(new GraphQLError(`Unknown field "${name}" on type Query`, { nodes: node }));
    }
  },
});

/** Per role: the schema it sees, rebuilt when the schema cache reloads. */
class SchemaRegistry {
  private byRole = new Map<string, { cache: SchemaCache; built: Promise<BuiltSchema> }>();

  get(role: string, cache: SchemaCache, runner: Runner): Promise<BuiltSchema> {
    const hit = this.byRole.get(role);
    if (hit && hit.cache === cache) return hit.built;
    const built = loadCatalog((text, values) => runner.query({ text, values: values as SqlStatement['values'] }), [SCHEMA], role).then((catalog) =>
      buildSchema(buildModel(cache, catalog, SCHEMA)),
    );
    this.byRole.set(role, { cache, built });
    built.catch(() => this.byRole.delete(role));
    return built;
  }
}

/** Parsed and validated documents per schema: clients send the same few queries again and again. */
const documents = new WeakMap<BuiltSchema, Map<string, { document: DocumentNode } | { errors: { message: string }[] }>>();
const DOCUMENTS_PER_SCHEMA = 500;
/** Longer documents are checked every time: a client sending many large ones must not fill memory. */
const CACHED_DOCUMENT_CHARS = 16_384;

function checkDocument(built: BuiltSchema, query: string): { document: DocumentNode } | { errors: { message: string }[] } {
  let cache = documents.get(built);
  if (!cache) documents.set(built, (cache = new Map()));
  const hit = cache.get(query);
  if (hit) return hit;
  let result: { document: DocumentNode } | { errors: { message: string }[] };
  try {
    const document = parse(query);
    const rules = built.model.introspection ? specifiedRules : [...specifiedRules, noIntrospection];
    const invalid = validate(built.schema, document, rules);
    result = invalid.length > 0 ? { errors: invalid.map((e) => ({ message: pgGraphqlMessage(e) })) } : { document };
  } catch (e) {
    result = { errors: [{ message: e instanceof GraphQLError ? e.message : String(e) }] };
  }
  if (query.length > CACHED_DOCUMENT_CHARS) return result;
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= DOCUMENTS_PER_SCHEMA) cache.delete(cache.keys().next().value as string);
  cache.set(query, result);
  return result;
}

/** Runs one GraphQL request against a built schema; the caller ends the transaction. */
export async function runGraphql(built: BuiltSchema, runner: Runner, body: z.infer<typeof Body>): Promise<GraphqlResponse> {
  const checked = checkDocument(built, body.query);
  if ('errors' in checked) return { data: null, errors: checked.errors };
  const document = checked.document;

  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;

  const queryType = built.schema.getQueryType();
  const mutationType = built.schema.getMutationType();
  const resolveRoot = async (info: GraphQLResolveInfo): Promise<unknown> => {
    const field = (info.operation.operation === 'mutation' ? built.mutation : built.query).get(info.fieldName);
    if (!field) throw new GraphqlError(`Unknown field "${info.fieldName}" on type ${info.parentType.name}`);
    const compiler = new Compiler({ schema: built.schema, model: built.model, fragments, variables: info.variableValues });
    const compiled = compiler.root(field, info.parentType.name, info.fieldNodes);
    if (!compiled) return null;
    const [row] = await runner.query<{ value: unknown; affected?: number | string }>(compiled.statement as SqlStatement);
    if (compiled.atMost !== undefined && Number(row?.affected ?? 0) > compiled.atMost) {
      throw new GraphqlError(`${field.kind} impacts too many records`);
    }
    const value = row?.value ?? null;
    if (compiled.nodeType && value !== null) return { ...(value as Record<string, unknown>), [NODE_TYPE]: compiled.nodeType };
    return value;
  };
  // Below the root every value is already in the JSON the root's statement returned, under its
  // response key (alias or name); reading it synchronously spares a promise per field.
  const resolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _ctx, info) =>
    info.parentType === queryType || info.parentType === mutationType
      ? resolveRoot(info)
      : (source as Record<string, unknown> | null)?.[info.path.key as string];

  const result = await execute({
    schema: built.schema,
    document,
    variableValues: body.variables ?? {},
    operationName: body.operationName ?? undefined,
    fieldResolver: resolver,
  });
  if (result.errors && result.errors.length > 0) {
    const lost = result.errors.find((e) => isConnectionFailure(e.originalError));
    if (lost?.originalError) throw lost.originalError;
    // pg_graphql stops at the first error (its resolver raises), so it reports one.
    return { data: null, errors: result.errors.slice(0, 1).map((e) => ({ message: pgGraphqlMessage(e) })) };
  }
  return { data: (result.data as Record<string, unknown> | null | undefined) ?? null };
}

/** /graphql/v1 over REST's database access and schema cache (`db`, loading until `started`). */
export function graphqlService(ctx: GatewayContext, db: RestDatabase, started: Promise<void>): Service {
  const app = new Hono<GatewayEnv>();
  const schemas = new SchemaRegistry();

  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => send(errorResponse(Errors.payloadTooLarge(MAX_BODY_BYTES))) }));

  const send = (r: { status: number; headers: Record<string, string>; body: string }) => new Response(r.body, { status: r.status, headers: r.headers });

  app.all('*', async (c) => {
    let authed = false;
    try {
      const caller = resolveCaller(c);
      authed = caller.role !== 'anon';
      // PostgREST answers the RPC behind /graphql/v1; graphql_public.graphql is volatile: POST only.
      if (c.req.method !== 'POST') throw Errors.invalidRpcMethod(c.req.method);
      let raw: unknown;
      try {
        raw = JSON.parse(await c.req.text());
      } catch (e) {
        throw Errors.invalidBody(`Empty or invalid json: ${e instanceof Error ? e.message : String(e)}`);
      }
      const parsed = Body.safeParse(raw);
      if (!parsed.success) {
        return c.json(failure(`Invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`));
      }
      await started;
      const cache = await db.schemaCache().catch(() => {
        throw Errors.noSchemaCache();
      });
      const headers: Record<string, string> = { ...c.req.header(), 'x-forwarded-for': edge(c).forwardedFor };
      const { cookie, ...withoutCookie } = headers;
      const scope: RequestScope = {
        role: caller.role,
        claims: caller.claims,
        method: 'POST',
        path: '/rpc/graphql',
        headers: withoutCookie,
        cookies: parseCookies(cookie),
        settings: { search_path: `${SCHEMA}, extensions` },
      };
      const response = await db.inScope(scope, async (runner) => {
        const built = await schemas.get(caller.role, cache, runner);
        const value = await runGraphql(built, runner, parsed.data);
        return { value, rollback: value.errors !== undefined };
      });
      return c.json(response);
    } catch (e) {
      const err = toRestError(e, authed);
      if (isConnectionFailure(e)) {
        ctx.log({ level: 'warn', msg: 'graphql: database unavailable', request_id: c.get('requestId'), err: e instanceof Error ? e.message : String(e) });
      } else if (!(e instanceof RestError) && err.status >= 500) {
        ctx.log({ level: 'error', msg: 'graphql request failed', request_id: c.get('requestId'), err: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
      return send(errorResponse(err));
    }
  });

  return { prefix: PREFIX, name: 'graphql', app, health: () => db.health(), close: () => db.close() };
}
