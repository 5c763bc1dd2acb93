// Filters (`col=op.value`) with every operator and `not.`, and `and`/`or` trees of them.
import { Cursor, eofP, FAIL, field, fieldName, identifier, jsonPath, lexeme, quotedValue, run, ws } from './cursor.ts';
import type { EmbedPath, Field, FtsOp, IsVal, LogicTree, Operation, OpExpr, QuantOp, SimpleOp } from './ast.ts';

// ---------------------------------------------------------------------------------------------
// filters

export function delimiter(c: Cursor): void {
  c.char('.', 'delimiter (.)');
}

const QUANT_OPS: QuantOp[] = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch'];
const SIMPLE_OPS: SimpleOp[] = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'];

function listElement(c: Cursor): string {
  const quoted = c.attempt(() => {
    const v = quotedValue(c);
    const n = c.peek();
    if (n !== undefined && n !== ',' && n !== ')') c.fail('"," or ")"');
    return v;
  });
  if (quoted !== undefined) return quoted;
  let out = '';
  while (c.peek() !== undefined && c.peek() !== ',' && c.peek() !== ')') out += c.next();
  return out;
}

function listVal(c: Cursor): string[] {
  lexeme(c, () => c.char('('));
  const values = [listElement(c)];
  while (c.peek() === ',') {
    c.next();
    values.push(listElement(c));
  }
  lexeme(c, () => c.char(')', '")"'));
  return values;
}

function isValue(c: Cursor): IsVal {
  for (const v of ['null', 'not_null', 'true', 'false', 'unknown'] as const) {
    if (c.s.slice(c.pos, c.pos + v.length).toLowerCase() === v) {
      c.pos += v.length;
      return v;
    }
  }
  return c.fail('isVal: (null, not_null, true, false, unknown)');
}

function opExpr(c: Cursor, singleVal: (c: Cursor) => string): OpExpr {
  const negated = c.attempt(() => {
    c.string('not');
    delimiter(c);
    return true;
  }) ?? false;
  if (!negated) c.expect('"not"');
  return { negated, operation: operation(c, singleVal) };
}

function operation(c: Cursor, singleVal: (c: Cursor) => string): Operation {
  const label = 'operator (eq, gt, ...)';
  if (c.startsWith('in.')) {
    c.pos += 3;
    return { kind: 'in', values: listVal(c) };
  }
  if (c.startsWith('is.')) {
    c.pos += 3;
    return { kind: 'is', value: isValue(c) };
  }
  if (c.startsWith('isdistinct.')) {
    c.pos += 'isdistinct.'.length;
    return { kind: 'isdistinct', value: singleVal(c) };
  }
  const fts = c.attempt((): Operation => {
    let op: FtsOp | undefined;
    for (const o of ['fts', 'plfts', 'phfts', 'wfts'] as const) if (c.startsWith(o)) op = o;
    if (op === undefined) return c.fail(label);
    c.pos += op.length;
    const language = c.attempt(() => {
      c.char('(');
      const l = identifier(c);
      c.char(')');
      return l;
    });
    delimiter(c);
    const value = singleVal(c);
    return language === undefined ? { kind: 'fts', op, value } : { kind: 'fts', op, language, value };
  });
  if (fts) return fts;
  const simple = c.attempt((): Operation => {
    const op = SIMPLE_OPS.find((o) => c.startsWith(o));
    if (op === undefined) return c.fail(label);
    c.pos += op.length;
    delimiter(c);
    return { kind: 'simple', op, value: singleVal(c) };
  });
  if (simple) return simple;
  const quant = c.attempt((): Operation => {
    const op = QUANT_OPS.find((o) => c.startsWith(o));
    if (op === undefined) return c.fail(label);
    c.pos += op.length;
    const quantifier = c.attempt(() => {
      c.char('(');
      let q: 'any' | 'all';
      if (c.startsWith('any')) q = 'any';
      else if (c.startsWith('all')) q = 'all';
      else return c.fail('"any" or "all"');
      c.pos += 3;
      c.char(')');
      return q;
    });
    delimiter(c);
    const value = singleVal(c);
    return quantifier === undefined ? { kind: 'quant', op, value } : { kind: 'quant', op, quantifier, value };
  });
  if (quant) return quant;
  return c.fail(label);
}

const restOfInput = (c: Cursor): string => {
  const v = c.s.slice(c.pos);
  c.pos = c.s.length;
  return v;
};

/** Parses `key=value` where the key is a tree path (`clients.name`) and the value an op expression. */
export function parseFilter(key: string, value: string, isRpcRead: boolean): { path: EmbedPath; field: Field; expr?: OpExpr; raw?: string } {
  const { path, field: fld } = parseTreePath(key);
  if (isRpcRead) {
    const c = new Cursor(value);
    try {
      const expr = opExpr(c, restOfInput);
      return { path, field: fld, expr };
    } catch (e) {
      if (e !== FAIL) throw e;
      return { path, field: fld, raw: value };
    }
  }
  const expr = run(`failed to parse filter (${value})`, value, (c) => opExpr(c, restOfInput));
  return { path, field: fld, expr };
}

export function parseTreePath(key: string): { path: EmbedPath; field: Field } {
  return run(`failed to parse tree path (${key})`, key, (c) => {
    const names = [fieldName(c)];
    while (c.peek() === '.') {
      c.next();
      names.push(fieldName(c));
    }
    const jp = jsonPath(c);
    eofP(c);
    return { path: names.slice(0, -1), field: { name: names[names.length - 1] as string, jsonPath: jp } };
  });
}

// ---------------------------------------------------------------------------------------------
// and / or

function logicSingleVal(c: Cursor): string {
  const quoted = c.attempt(() => {
    const v = quotedValue(c);
    const n = c.peek();
    if (n !== undefined && n !== ',' && n !== ')') c.fail('"," or ")"');
    return v;
  });
  if (quoted !== undefined) return quoted;
  const arr = c.attempt(() => {
    c.char('{');
    let out = '{';
    while (c.peek() !== undefined && c.peek() !== '{' && c.peek() !== '}') out += c.next();
    c.char('}');
    return `${out}}`;
  });
  if (arr !== undefined) return arr;
  let out = '';
  while (c.peek() !== undefined && c.peek() !== ',' && c.peek() !== ')') out += c.next();
  return out;
}

function logicTree(c: Cursor): LogicTree {
  const stmt = c.attempt((): LogicTree => {
    const fld = field(c);
    delimiter(c);
    return { type: 'filter', filter: { field: fld, expr: opExpr(c, logicSingleVal) } };
  });
  if (stmt) return stmt;
  const negated =
    c.attempt(() => {
      c.string('not');
      delimiter(c);
      return true;
    }) ?? false;
  let operator: 'and' | 'or';
  if (c.startsWith('and')) {
    operator = 'and';
    c.pos += 3;
  } else if (c.startsWith('or')) {
    operator = 'or';
    c.pos += 2;
  } else {
    c.expect('negation operator (not)');
    return c.fail('logic operator (and, or)');
  }
  lexeme(c, () => c.char('('));
  const children = [logicTree(c)];
  for (;;) {
    ws(c);
    if (c.peek() !== ',') break;
    c.next();
    ws(c);
    children.push(logicTree(c));
  }
  lexeme(c, () => c.char(')', '")"'));
  return { type: 'expr', negated, operator, children };
}

export function parseLogic(key: string, value: string): { path: EmbedPath; tree: LogicTree } {
  const names = run(`failed to parse logic path (${key})`, key, (c) => {
    const ns = [fieldName(c)];
    while (c.peek() === '.') {
      c.next();
      ns.push(fieldName(c));
    }
    eofP(c);
    return ns;
  });
  const op = names[names.length - 1] as string;
  const negated = names.includes('not');
  const path = names.slice(0, -1).filter((n) => n !== 'not');
  const tree = run(`failed to parse logic tree (${value})`, `${negated ? 'not.' : ''}${op}${value}`, (c) => {
    const t = logicTree(c);
    eofP(c);
    return t;
  });
  return { path, tree };
}

