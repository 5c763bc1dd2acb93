// `select`: trees with aliases, casts, JSON paths, aggregates, embeds (`!hint`, `!inner`) and spreads.
import type { Aggregate, Field, SelectItem } from './ast.ts';
import { aliasSeparator, castIdentifier, Cursor, eofP, fieldName, jsonPath, lexeme, run, ws } from './cursor.ts';
import { deepFreeze } from '../../kit/deep-freeze.ts';

function selectEnd(c: Cursor): void {
  if (c.peek() === ')' || c.peek() === ',' || c.eof) return;
  c.failAt(['")"', '","', 'end of input']);
}

function embedParams(c: Cursor): { hint?: string; joinType?: 'inner' | 'left' } {
  const out: { hint?: string; joinType?: 'inner' | 'left' } = {};
  for (let i = 0; i < 2; i++) {
    const p = c.attempt(() => {
      c.char('!');
      const jt = c.attempt(() => {
        if (c.startsWith('left')) {
          c.pos += 4;
          return 'left' as const;
        }
        if (c.startsWith('inner')) {
          c.pos += 5;
          return 'inner' as const;
        }
        return c.fail('"left" or "inner"');
      });
      if (jt !== undefined) return { joinType: jt };
      return { hint: fieldName(c) };
    });
    if (p === undefined) break;
    if (p.hint !== undefined && out.hint === undefined) out.hint = p.hint;
    if (p.joinType !== undefined && out.joinType === undefined) out.joinType = p.joinType;
  }
  return out;
}

function relationHead(c: Cursor): { name: string; alias?: string; hint?: string; joinType?: 'inner' | 'left' } {
  ws(c);
  const alias = c.attempt(() => {
    const a = fieldName(c);
    aliasSeparator(c);
    return a;
  });
  const name = fieldName(c);
  if (name === 'count') c.fail('');
  const params = embedParams(c);
  if (c.peek() !== '(') c.fail('"("');
  return { name, ...(alias !== undefined ? { alias } : {}), ...params };
}

function spreadHead(c: Cursor): { name: string; hint?: string; joinType?: 'inner' | 'left' } {
  ws(c);
  c.string('...');
  const name = fieldName(c);
  const params = embedParams(c);
  if (c.peek() !== '(') c.fail('"("');
  return { name, ...params };
}

function aggregateP(c: Cursor): Aggregate {
  for (const a of ['sum', 'avg', 'count', 'max', 'min'] as const) {
    if (c.startsWith(a)) {
      c.pos += a.length;
      return a;
    }
  }
  return c.fail('aggregate function');
}

function fieldSelect(c: Cursor): SelectItem {
  return lexeme(c, () => {
    const star = c.attempt(() => {
      c.char('*');
      selectEnd(c);
      return true;
    });
    if (star) return { type: 'field', field: { name: '*', jsonPath: [] } } as SelectItem;
    const count = c.attempt(() => {
      const alias = c.attempt(() => {
        const a = fieldName(c);
        aliasSeparator(c);
        return a;
      });
      c.string('count()');
      const aggregateCast = c.attempt(() => castIdentifier(c));
      selectEnd(c);
      const item: SelectItem = { type: 'field', field: { name: '*', jsonPath: [] }, aggregate: 'count' };
      if (alias !== undefined) item.alias = alias;
      if (aggregateCast !== undefined) item.aggregateCast = aggregateCast;
      return item;
    });
    if (count) return count;
    const alias = c.attempt(() => {
      const a = fieldName(c);
      aliasSeparator(c);
      return a;
    });
    const fld: Field = { name: fieldName(c), jsonPath: jsonPath(c) };
    const cast = c.attempt(() => castIdentifier(c));
    const aggregate = c.attempt(() => {
      c.char('.');
      const a = aggregateP(c);
      c.string('()');
      return a;
    });
    const aggregateCast = c.attempt(() => castIdentifier(c));
    if (cast === undefined && !c.startsWith('::')) c.expect('"::"');
    if (aggregate === undefined && c.peek() !== '.') c.expect('"."');
    selectEnd(c);
    const item: SelectItem = { type: 'field', field: fld };
    if (alias !== undefined) item.alias = alias;
    if (cast !== undefined) item.cast = cast;
    if (aggregate !== undefined) item.aggregate = aggregate;
    if (aggregateCast !== undefined) item.aggregateCast = aggregateCast;
    return item;
  });
}

function fieldForest(c: Cursor): SelectItem[] {
  const items: SelectItem[] = [];
  const first = c.attempt(() => fieldTree(c));
  if (first === undefined) return items;
  items.push(first);
  for (;;) {
    const save = c.pos;
    ws(c);
    if (c.peek() !== ',') {
      c.expect('","');
      c.pos = save;
      return items;
    }
    c.next();
    ws(c);
    items.push(fieldTree(c));
  }
}

function subForest(c: Cursor): SelectItem[] {
  c.char('(');
  const children = fieldForest(c);
  c.char(')', '")"');
  return children;
}

function fieldTree(c: Cursor): SelectItem {
  const spread = c.attempt(() => spreadHead(c));
  if (spread) {
    const children = subForest(c);
    ws(c);
    return { type: 'spread', ...spread, children };
  }
  const rel = c.attempt(() => relationHead(c));
  if (rel) {
    const children = subForest(c);
    ws(c);
    return { type: 'relation', ...rel, children };
  }
  return fieldSelect(c);
}

/**
 * Parsed selects by text: a select is the shape of a query, the same across a client's requests,
 * and its parse (backtracking by exceptions, Parsec-style) was ~5% of the gateway's CPU under
 * load (CPU profile, issue 13). Frozen, as every request shares them; bounded (cleared when full).
 */
const parsedSelects = new Map<string, SelectItem[]>();
export const PARSED_SELECTS_MAX = 512;

export function parseSelect(value: string): SelectItem[] {
  const known = parsedSelects.get(value);
  if (known) return known;
  const items = run(`failed to parse select parameter (${value})`, value, (c) => {
    const items = fieldForest(c);
    eofP(c);
    return items;
  });
  if (parsedSelects.size >= PARSED_SELECTS_MAX) parsedSelects.clear();
  parsedSelects.set(value, deepFreeze(items));
  return items;
}

