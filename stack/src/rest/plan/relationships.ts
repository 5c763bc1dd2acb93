// Relationships (PostgREST's findRel): which foreign key, junction or computed relationship an
// embed names, with `!hint` disambiguation and PostgREST's errors for none or several.
import { Errors } from '../errors.ts';
import { type AnyRelationship, closest, qiKey, type Relationship, type SchemaCache } from '../schema-cache.ts';

function matchFKSingleCol(hint: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.columns.length === 1 && c.columns[0]?.[0] === hint;
}

function matchFKRefSingleCol(hint: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.columns.length === 1 && c.columns[0]?.[1] === hint;
}

function matchConstraint(name: string, r: Relationship): boolean {
  const c = r.cardinality;
  return c.type !== 'm2m' && c.constraint === name;
}

function matchJunction(hint: string, r: Relationship): boolean {
  return r.cardinality.type === 'm2m' && r.cardinality.junction.name === hint;
}

function describeRelationship(r: AnyRelationship): Record<string, string> {
  const c = r.cardinality;
  if (c.type === 'computed') {
    return {
      cardinality: c.singleRow ? 'many-to-one' : 'one-to-many',
      embedding: `${r.table.name} with ${r.foreignTable.name}`,
      relationship: `${c.function.schema}.${c.function.name}`,
    };
  }
  const els = (cols: string[]) => `(${cols.join(', ')})`;
  if (c.type === 'm2m') {
    return {
      cardinality: 'many-to-many',
      embedding: `${r.table.name} with ${r.foreignTable.name}`,
      relationship: `${c.junction.name} using ${c.constraint1}${els(c.sourceColumns.map(([, j]) => j))} and ${c.constraint2}${els(c.targetColumns.map(([, j]) => j))}`,
    };
  }
  const card = c.type === 'm2o' ? 'many-to-one' : c.type === 'o2m' ? 'one-to-many' : 'one-to-one';
  return {
    cardinality: card,
    embedding: `${r.table.name} with ${r.foreignTable.name}`,
    relationship: `${c.constraint} using ${r.table.name}${els(c.columns.map(([a]) => a))} and ${r.foreignTable.name}${els(c.columns.map(([, b]) => b))}`,
  };
}

function relHintName(r: AnyRelationship): string {
  const c = r.cardinality;
  return `'${r.foreignTable.name}!${c.type === 'm2m' ? c.junction.name : c.type === 'computed' ? c.function.name : c.constraint}'`;
}

export function findRelationship(cache: SchemaCache, schema: string, origin: string, target: string, hint: string | undefined): AnyRelationship {
  const all = cache.relationships.get(qiKey({ schema, name: origin })) ?? [];
  // Computed relationships match by the function's name (PostgREST's findRel).
  const computed = (cache.computedRelationships.get(qiKey({ schema, name: origin })) ?? []).filter((r) => r.cardinality.function.name === target);
  const fks = all.filter((r) => {
    if (r.isSelf) {
      if (hint === undefined) {
        return (
          (target === r.foreignTable.name && r.cardinality.type === 'o2m') || (matchFKSingleCol(target, r) && r.cardinality.type === 'm2o')
        );
      }
      return target === r.foreignTable.name && r.cardinality.type === 'o2m' && matchFKRefSingleCol(hint, r);
    }
    if (hint === undefined) {
      return (
        target === r.foreignTable.name ||
        (matchConstraint(target, r) && !r.foreignTableIsView) ||
        (matchFKSingleCol(target, r) && !r.foreignTableIsView)
      );
    }
    return (
      target === r.foreignTable.name &&
      (matchConstraint(hint, r) || matchFKSingleCol(hint, r) || matchFKRefSingleCol(hint, r) || matchJunction(hint, r))
    );
  });
  const rels: AnyRelationship[] = [...computed, ...fks];
  if (rels.length === 1) return rels[0] as AnyRelationship;
  if (rels.length === 0) {
    let suggestion: string | null = null;
    const parentRels = cache.relationships.get(qiKey({ schema, name: origin }));
    if (parentRels) {
      const children = new Set(parentRels.map((r) => r.foreignTable.name));
      if (!children.has(target)) {
        const best = closest(target, children, 0.33);
        if (best && best.score < 1) suggestion = `Perhaps you meant '${best.value}' instead of '${target}'.`;
      }
    } else {
      const parents = [...cache.relationships.keys()].map((k) => k.split('\u0000')).filter(([s]) => s === schema).map(([, n]) => n as string);
      const best = closest(origin, parents, 0.33);
      if (best) suggestion = `Perhaps you meant '${best.value}' instead of '${origin}'.`;
    }
    throw Errors.noRelationship(origin, target, hint ?? null, schema, suggestion);
  }
  throw Errors.ambiguousRelationship(
    origin,
    target,
    rels.map(describeRelationship),
    `Try changing '${target}' to one of the following: ${rels.map(relHintName).join(', ')}. Find the desired relationship in the 'details' key.`,
  );
}

