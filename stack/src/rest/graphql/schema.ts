// The GraphQLSchema of a model (model.ts), with pg_graphql's type names and shapes: `<T>`,
// `<T>Connection`, `<T>Edge`, `<T>Filter`, `<T>OrderBy`, `<T>InsertInput`, `<T>UpdateInput`,
// `<T>{Insert,Update,Delete}Response`, `PageInfo`, `Node`, `<Scalar>Filter`, `<Scalar>ListFilter`,
// `FilterIs`, `OrderByDirection` and its custom scalars. Resolvers are not here: each root
// field is compiled to one SQL statement (sql.ts) and the rest of the tree reads its JSON.
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  valueFromASTUntyped,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { lowerFirst } from './names.ts';
import type { GqlFunction, GqlTable, Model, ScalarName, ValueType } from './model.ts';

/** What a root field is, for the SQL compiler. */
export type RootField =
  | { kind: 'collection'; table: GqlTable }
  | { kind: 'byPk'; table: GqlTable }
  | { kind: 'node' }
  | { kind: 'function'; fn: GqlFunction }
  | { kind: 'insert' | 'update' | 'delete'; table: GqlTable };

/** The key under which a root resolver stores the node's type for `Node.resolveType`. */
export const NODE_TYPE = '\u0000type';

export interface BuiltSchema {
  schema: GraphQLSchema;
  model: Model;
  /** Root field name → what it is, per operation type. */
  query: Map<string, RootField>;
  mutation: Map<string, RootField>;
}

const custom = (name: string, description: string) =>
  new GraphQLScalarType({ name, description, serialize: (v) => v, parseValue: (v) => v, parseLiteral: (ast) => valueFromASTUntyped(ast) });

// Built once: they do not depend on the model.
const SCALAR_TYPES: Record<ScalarName | 'Cursor', GraphQLScalarType> = {
  Int: GraphQLInt,
  Float: GraphQLFloat,
  String: GraphQLString,
  Boolean: GraphQLBoolean,
  BigInt: custom('BigInt', 'An arbitrary size integer represented as a string'),
  BigFloat: custom('BigFloat', 'A high precision floating point value represented as a string'),
  UUID: custom('UUID', 'A universally unique identifier'),
  Date: custom('Date', 'A date without time information'),
  Time: custom('Time', 'A time without date information'),
  Datetime: custom('Datetime', 'A date and time'),
  JSON: custom('JSON', 'A Javascript Object Notation value serialized as a string'),
  Opaque: custom('Opaque', 'Any type not handled by the type system'),
  Cursor: custom('Cursor', 'A string representing a cursor for pagination'),
};

const FILTER_IS = new GraphQLEnumType({ name: 'FilterIs', values: { NULL: {}, NOT_NULL: {} } });

const ORDER_BY_DIRECTION = new GraphQLEnumType({
  name: 'OrderByDirection',
  description: 'Defines a per-field sorting order',
  values: {
    AscNullsFirst: { description: 'Ascending order, nulls first' },
    AscNullsLast: { description: 'Ascending order, nulls last' },
    DescNullsFirst: { description: 'Descending order, nulls first' },
    DescNullsLast: { description: 'Descending order, nulls last' },
  },
});

const PAGE_INFO = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    endCursor: { type: GraphQLString },
    hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    startCursor: { type: GraphQLString },
  },
});

const ORDERED: ScalarName[] = ['Int', 'Float', 'BigInt', 'BigFloat', 'Date', 'Time', 'Datetime', 'String'];

/** The operators pg_graphql offers on a scalar's filter. */
export function filterOps(scalar: ScalarName | null): string[] {
  if (scalar === null) return ['eq', 'in', 'is', 'neq'];
  if (scalar === 'String') return ['eq', 'gt', 'gte', 'ilike', 'in', 'iregex', 'is', 'like', 'lt', 'lte', 'neq', 'regex', 'startsWith'];
  if (ORDERED.includes(scalar)) return ['eq', 'gt', 'gte', 'in', 'is', 'lt', 'lte', 'neq'];
  if (scalar === 'Boolean') return ['eq', 'is'];
  if (scalar === 'UUID') return ['eq', 'in', 'is', 'neq'];
  if (scalar === 'Opaque') return ['eq', 'is'];
  return [];
}

export const LIST_FILTER_OPS = ['containedBy', 'contains', 'eq', 'is', 'overlaps'];

export function buildSchema(model: Model): BuiltSchema {
  const types = new Map<string, unknown>();
  const once = <T>(name: string, make: () => T): T => {
    const got = types.get(name);
    if (got) return got as T;
    const made = make();
    types.set(name, made);
    return made;
  };

  const enumType = (name: string): GraphQLEnumType =>
    once(`enum:${name}`, () => {
      const e = [...model.enums.values()].find((x) => x.name === name);
      return new GraphQLEnumType({ name, values: Object.fromEntries((e?.values ?? []).map((v) => [v, { value: v }])) });
    });

  const leafType = (t: ValueType): GraphQLScalarType | GraphQLEnumType => (t.enumName !== null ? enumType(t.enumName) : SCALAR_TYPES[t.scalar ?? 'Opaque']);

  const valueOut = (t: ValueType): GraphQLOutputType => (t.list ? new GraphQLList(leafType(t)) : leafType(t));
  const valueIn = (t: ValueType): GraphQLInputType => (t.list ? new GraphQLList(leafType(t)) : leafType(t));

  const scalarFilter = (t: ValueType): GraphQLInputObjectType | null => {
    const leaf = leafType(t);
    if (t.scalar === 'JSON') return null;
    if (t.list) {
      return once(`${leaf.name}ListFilter`, () => {
        const fields: GraphQLInputFieldConfigMap = {};
        for (const op of LIST_FILTER_OPS) fields[op] = { type: op === 'is' ? FILTER_IS : new GraphQLList(new GraphQLNonNull(leaf)) };
        return new GraphQLInputObjectType({ name: `${leaf.name}ListFilter`, description: `Boolean expression comparing fields on type "${leaf.name}List"`, fields });
      });
    }
    return once(`${leaf.name}Filter`, () => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const op of filterOps(t.scalar)) fields[op] = { type: op === 'is' ? FILTER_IS : op === 'in' ? new GraphQLList(new GraphQLNonNull(leaf)) : leaf };
      return new GraphQLInputObjectType({ name: `${leaf.name}Filter`, description: `Boolean expression comparing fields on type "${leaf.name}"`, fields });
    });
  };

  const ID_FILTER = new GraphQLInputObjectType({
    name: 'IDFilter',
    description: 'Boolean expression comparing fields on type "ID"',
    fields: { eq: { type: GraphQLID } },
  });

  const nodeInterface = new GraphQLInterfaceType({
    name: 'Node',
    fields: { nodeId: { type: new GraphQLNonNull(GraphQLID), description: 'Retrieves a record by `ID`' } },
    resolveType: (value: Record<string, unknown>) => value[NODE_TYPE] as string | undefined,
  });

  const filterType = (t: GqlTable): GraphQLInputObjectType =>
    once(`${t.base}Filter`, () => {
      const self: GraphQLInputObjectType = new GraphQLInputObjectType({
        name: `${t.base}Filter`,
        fields: () => {
          const fields: GraphQLInputFieldConfigMap = {};
          for (const c of t.columns) {
            const f = scalarFilter(c.type);
            if (f) fields[c.field] = { type: f };
          }
          fields.nodeId = { type: ID_FILTER };
          fields.and = { type: new GraphQLList(new GraphQLNonNull(self)), description: 'Returns true only if all its inner filters are true, otherwise returns false' };
          fields.or = { type: new GraphQLList(new GraphQLNonNull(self)), description: 'Returns true if at least one of its inner filters is true, otherwise returns false' };
          fields.not = { type: self, description: 'Negates a filter' };
          return fields;
        },
      });
      return self;
    });

  const orderByType = (t: GqlTable): GraphQLInputObjectType =>
    once(`${t.base}OrderBy`, () => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const c of t.columns) if (!c.type.list && c.type.scalar !== 'JSON') fields[c.field] = { type: ORDER_BY_DIRECTION };
      return new GraphQLInputObjectType({ name: `${t.base}OrderBy`, fields });
    });

  const collectionArgs = (t: GqlTable): GraphQLFieldConfigArgumentMap => ({
    first: { type: GraphQLInt, description: 'Query the first `n` records in the collection' },
    last: { type: GraphQLInt, description: 'Query the last `n` records in the collection' },
    before: { type: SCALAR_TYPES.Cursor, description: 'Query values in the collection before the provided cursor' },
    after: { type: SCALAR_TYPES.Cursor, description: 'Query values in the collection after the provided cursor' },
    offset: { type: GraphQLInt, description: 'Skip n values from the after cursor. Alternative to cursor pagination. Backward pagination not supported.' },
    filter: { type: filterType(t), description: 'Filters to apply to the results set when querying from the collection' },
    orderBy: { type: new GraphQLList(new GraphQLNonNull(orderByType(t))), description: 'Sort order to apply to the collection' },
  });

  const nodeType = (t: GqlTable): GraphQLObjectType =>
    once(t.base, () =>
      new GraphQLObjectType({
        name: t.base,
        description: t.description ?? undefined,
        interfaces: [nodeInterface],
        fields: () => {
          const fields: GraphQLFieldConfigMap<unknown, unknown> = {
            nodeId: { type: new GraphQLNonNull(GraphQLID), description: 'Globally Unique Record Identifier' },
          };
          for (const c of t.columns) {
            const type = valueOut(c.type);
            fields[c.field] = { type: c.column.nullable ? type : new GraphQLNonNull(type), description: c.column.description ?? undefined };
          }
          for (const r of t.relations) {
            const target = model.tables.get(r.target);
            if (!target) continue;
            fields[r.field] = r.many
              ? { type: new GraphQLNonNull(connectionType(target)), args: collectionArgs(target) }
              : { type: nodeType(target) };
          }
          return fields;
        },
      }),
    );

  const connectionType = (t: GqlTable): GraphQLObjectType =>
    once(`${t.base}Connection`, () => {
      const edge = new GraphQLObjectType({
        name: `${t.base}Edge`,
        fields: () => ({ cursor: { type: new GraphQLNonNull(GraphQLString) }, node: { type: new GraphQLNonNull(nodeType(t)) } }),
      });
      return new GraphQLObjectType({
        name: `${t.base}Connection`,
        fields: () => ({
          edges: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(edge))) },
          pageInfo: { type: new GraphQLNonNull(PAGE_INFO) },
          ...(t.totalCount ? { totalCount: { type: new GraphQLNonNull(GraphQLInt), description: 'The total number of records matching the `filter` criteria' } } : {}),
        }),
      });
    });

  const responseType = (t: GqlTable, kind: 'Insert' | 'Update' | 'Delete'): GraphQLObjectType =>
    once(`${t.base}${kind}Response`, () =>
      new GraphQLObjectType({
        name: `${t.base}${kind}Response`,
        fields: () => ({
          affectedCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Count of the records impacted by the mutation' },
          records: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(nodeType(t)))), description: 'Array of records impacted by the mutation' },
        }),
      }),
    );

  const inputType = (t: GqlTable, kind: 'Insert' | 'Update'): GraphQLInputObjectType =>
    once(`${t.base}${kind}Input`, () => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const c of t.columns) if (kind === 'Insert' ? c.insertable : c.updatable) fields[c.field] = { type: valueIn(c.type) };
      return new GraphQLInputObjectType({ name: `${t.base}${kind}Input`, fields });
    });

  const queryRoots = new Map<string, RootField>();
  const mutationRoots = new Map<string, RootField>();
  const queryFields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const mutationFields: GraphQLFieldConfigMap<unknown, unknown> = {};

  for (const t of model.tables.values()) {
    const name = `${lowerFirst(t.base)}Collection`;
    queryFields[name] = { type: new GraphQLNonNull(connectionType(t)), args: collectionArgs(t), description: `A pagable collection of type \`${t.base}\`` };
    queryRoots.set(name, { kind: 'collection', table: t });
    // `<table>ByPk`, where every key column is an Int, BigInt, UUID or String (pg_graphql's has_supported_pk_types_for_by_pk).
    const keyColumns = t.pk.map((k) => t.columns.find((c) => c.column.name === k.name));
    if (keyColumns.every((c) => c && !c.type.list && ['Int', 'BigInt', 'UUID', 'String'].includes(c.type.scalar ?? ''))) {
      const byPk = `${lowerFirst(t.base)}ByPk`;
      const args: GraphQLFieldConfigArgumentMap = {};
      for (const c of keyColumns) if (c) args[c.field] = { type: new GraphQLNonNull(leafType(c.type)), description: `The record's \`${c.column.name}\` value` };
      queryFields[byPk] = { type: nodeType(t), args, description: `Retrieve a record of type \`${t.base}\` by its primary key` };
      queryRoots.set(byPk, { kind: 'byPk', table: t });
    }
    if (t.canInsert) {
      const n = `insertInto${t.base}Collection`;
      mutationFields[n] = {
        type: responseType(t, 'Insert'),
        description: `Adds one or more \`${t.base}\` records to the collection`,
        args: { objects: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(inputType(t, 'Insert')))) } },
      };
      mutationRoots.set(n, { kind: 'insert', table: t });
    }
    if (t.canUpdate) {
      const n = `update${t.base}Collection`;
      mutationFields[n] = {
        type: new GraphQLNonNull(responseType(t, 'Update')),
        description: 'Updates zero or more records in the `' + t.base + '` collection',
        args: {
          set: { type: new GraphQLNonNull(inputType(t, 'Update')), description: 'Fields that are set will be updated for all records matching the `filter`' },
          filter: { type: filterType(t), description: "Restricts the mutation's impact to records matching the criteria" },
          atMost: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 1, description: 'The maximum number of records in the collection permitted to be affected' },
        },
      };
      mutationRoots.set(n, { kind: 'update', table: t });
    }
    if (t.canDelete) {
      const n = `deleteFrom${t.base}Collection`;
      mutationFields[n] = {
        type: new GraphQLNonNull(responseType(t, 'Delete')),
        description: 'Deletes zero or more records from the `' + t.base + '` collection',
        args: {
          filter: { type: filterType(t), description: "Restricts the mutation's impact to records matching the criteria" },
          atMost: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 1, description: 'The maximum number of records in the collection permitted to be affected' },
        },
      };
      mutationRoots.set(n, { kind: 'delete', table: t });
    }
  }

  for (const fn of model.functions) {
    const args: GraphQLFieldConfigArgumentMap = {};
    for (const a of fn.args) {
      const t = valueIn(a.type);
      args[a.field] = { type: a.required ? new GraphQLNonNull(t) : t };
    }
    let type: GraphQLOutputType;
    const r = fn.returns;
    if (r.kind === 'scalar') type = valueOut(r.type);
    else {
      const target = model.tables.get(r.table);
      if (!target) continue;
      if (r.kind === 'row') type = nodeType(target);
      else {
        type = connectionType(target);
        Object.assign(args, collectionArgs(target));
      }
    }
    const fields = fn.mutation ? mutationFields : queryFields;
    if (fields[fn.field]) continue;
    fields[fn.field] = { type, args, description: fn.description ?? undefined };
    (fn.mutation ? mutationRoots : queryRoots).set(fn.field, { kind: 'function', fn });
  }

  queryFields.node = { type: nodeInterface, args: { nodeId: { type: new GraphQLNonNull(GraphQLID), description: 'The record\'s `ID`' } }, description: 'Retrieve a record by its `ID`' };
  queryRoots.set('node', { kind: 'node' });

  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', description: 'The root type for querying data', fields: queryFields }),
    mutation:
      Object.keys(mutationFields).length > 0
        ? new GraphQLObjectType({ name: 'Mutation', description: 'The root type for creating and mutating data', fields: mutationFields })
        : undefined,
    // Every table type, so `node` fragments and introspection find them even when unreachable otherwise.
    types: [...model.tables.values()].map(nodeType),
  });
  return { schema, model, query: queryRoots, mutation: mutationRoots };
}
