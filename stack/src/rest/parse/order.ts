// `order`: terms with direction and nulls placement, per embed path.
import { Cursor, eofP, FAIL, field, fieldName, lexeme, run } from './cursor.ts';
import type { EmbedPath, OrderTerm } from './ast.ts';
import { delimiter, parseTreePath } from './filter.ts';

function keyword<T extends string>(c: Cursor, words: T[]): T {
  for (const w of words) {
    if (c.attempt(() => (c.string(w), true))) return w;
  }
  throw FAIL;
}

function orderDirection(c: Cursor): 'asc' | 'desc' | undefined {
  return c.attempt(() => {
    delimiter(c);
    return keyword(c, ['asc', 'desc']);
  });
}

function orderNulls(c: Cursor): 'first' | 'last' | undefined {
  return c.attempt(() => {
    delimiter(c);
    return keyword(c, ['nullsfirst', 'nullslast']) === 'nullsfirst' ? 'first' : 'last';
  });
}

function orderEnd(c: Cursor): void {
  if (c.peek() === ',' || c.eof) return;
  c.failAt(['","', 'end of input']);
}

function orderTail(c: Cursor): { direction?: 'asc' | 'desc'; nulls?: 'first' | 'last' } {
  const direction = orderDirection(c);
  const nulls = orderNulls(c);
  orderEnd(c);
  return { ...(direction ? { direction } : {}), ...(nulls ? { nulls } : {}) };
}

export function parseOrder(key: string, value: string): { path: EmbedPath; terms: OrderTerm[] } {
  const { path } = parseTreePath(key);
  const terms = run(`failed to parse order (${value})`, value, (c) => {
    const out: OrderTerm[] = [];
    for (;;) {
      const term = lexeme(c, (): OrderTerm => {
        const rel = c.attempt((): OrderTerm => {
          const relation = fieldName(c);
          c.char('(');
          const fld = field(c);
          c.char(')');
          return { relation, field: fld, ...orderTail(c) };
        });
        if (rel) return rel;
        const fld = field(c);
        return { field: fld, ...orderTail(c) };
      });
      out.push(term);
      if (c.peek() !== ',') break;
      c.next();
    }
    eofP(c);
    return out;
  });
  return { path, terms };
}

