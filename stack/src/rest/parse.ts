// Parse: the query string grammar of PostgREST (ApiRequest/QueryParams.hs), pure. `select`
// trees with aliases, casts, JSON paths, embeds (`!hint`, `!inner`) and spreads; filters with
// every operator and `not.`; `and`/`or` trees; `order`; `limit`/`offset` per embed path;
// `columns`; `on_conflict`. Errors are PGRST100 with PostgREST's message
// (`"failed to parse filter (x)" (line 1, column N)`) and a Parsec-like "unexpected … expecting …".
import { Errors, RestError } from './errors.ts';

export type JsonOp = { arrow: '->' | '->>'; key: string; index?: undefined } | { arrow: '->' | '->>'; index: string; key?: undefined };

export interface Field {
  name: string;
  jsonPath: JsonOp[];
}

export type Aggregate = 'sum' | 'avg' | 'count' | 'max' | 'min';

export type SelectItem =
  | { type: 'field'; field: Field; alias?: string; cast?: string; aggregate?: Aggregate; aggregateCast?: string }
  | { type: 'relation'; name: string; alias?: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] }
  | { type: 'spread'; name: string; hint?: string; joinType?: 'inner' | 'left'; children: SelectItem[] };

export type QuantOp = 'eq' | 'gte' | 'gt' | 'lte' | 'lt' | 'like' | 'ilike' | 'match' | 'imatch';
export type SimpleOp = 'neq' | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj';
export type FtsOp = 'fts' | 'plfts' | 'phfts' | 'wfts';
export type IsVal = 'null' | 'not_null' | 'true' | 'false' | 'unknown';

export type Operation =
  | { kind: 'quant'; op: QuantOp; quantifier?: 'any' | 'all'; value: string }
  | { kind: 'simple'; op: SimpleOp; value: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: IsVal }
  | { kind: 'isdistinct'; value: string }
  | { kind: 'fts'; op: FtsOp; language?: string; value: string };

export interface OpExpr {
  negated: boolean;
  operation: Operation;
}

export interface Filter {
  field: Field;
  expr: OpExpr;
}

export type LogicTree =
  | { type: 'filter'; filter: Filter }
  | { type: 'expr'; negated: boolean; operator: 'and' | 'or'; children: LogicTree[] };

export interface OrderTerm {
  /** Set for `relation(column)` terms, ordering by a to-one embed. */
  relation?: string;
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** An inclusive row range, PostgREST's NonnegRange; `upper` null = unbounded. */
export interface RowRange {
  lower: number;
  upper: number | null;
}

export type EmbedPath = string[];

export interface QueryParams {
  /** Query parameters sorted by name, for Content-Location. */
  canonical: string;
  /** Parameters without an operator: the arguments of an RPC read (GET/HEAD). */
  rpcParams: [string, string][];
  /** `limit`/`offset` ranges keyed by path, e.g. `limit`, `clients.limit`. */
  ranges: Map<string, RowRange>;
  order: [EmbedPath, OrderTerm[]][];
  logic: [EmbedPath, LogicTree][];
  columns?: string[];
  select: SelectItem[];
  filters: [EmbedPath, Filter][];
  filtersRoot: Filter[];
  filtersNotRoot: [EmbedPath, Filter][];
  /** The names of all filter parameters (keys), as written. */
  filterFields: Set<string>;
  onConflict?: string[];
}

export const ALL_RANGE: RowRange = { lower: 0, upper: null };

// ---------------------------------------------------------------------------------------------
// A tiny Parsec: a cursor, furthest-failure error reporting, backtracking by saved position.

const FAIL = Symbol('parse-fail');

class Cursor {
  pos = 0;
  private errPos = -1;
  private errExpected = new Set<string>();
  private errUnexpected: string | undefined;

  constructor(readonly s: string) {}

  get eof(): boolean {
    return this.pos >= this.s.length;
  }

  peek(offset = 0): string | undefined {
    const cp = this.codePointAt(this.pos, offset);
    return cp;
  }

  private codePointAt(from: number, offset: number): string | undefined {
    let i = from;
    for (let k = 0; k < offset; k++) {
      const c = this.s.codePointAt(i);
      if (c === undefined) return undefined;
      i += c > 0xffff ? 2 : 1;
    }
    const c = this.s.codePointAt(i);
    return c === undefined ? undefined : String.fromCodePoint(c);
  }

  next(): string {
    const c = this.peek();
    if (c === undefined) this.fail('any character');
    this.pos += c.length;
    return c;
  }

  startsWith(str: string): boolean {
    return this.s.startsWith(str, this.pos);
  }

  /** Records what was expected here; the furthest failure wins, as in Parsec's merged errors. */
  expect(what: string, unexpected?: string): void {
    if (this.pos > this.errPos) {
      this.errPos = this.pos;
      this.errExpected = new Set();
      this.errUnexpected = undefined;
    }
    if (this.pos === this.errPos) {
      if (what) this.errExpected.add(what);
      if (unexpected !== undefined && this.errUnexpected === undefined) this.errUnexpected = unexpected;
    }
  }

  fail(what: string, unexpected?: string): never {
    this.expect(what, unexpected);
    throw FAIL;
  }

  char(c: string, label = JSON.stringify(c)): void {
    if (this.peek() !== c) this.fail(label);
    this.pos += c.length;
  }

  /** Parsec's `string`: fails where it started, naming the first character that differs. */
  string(str: string): void {
    if (!this.startsWith(str)) {
      let i = 0;
      while (i < str.length && this.s[this.pos + i] === str[i]) i++;
      const at = this.s.codePointAt(this.pos + i);
      this.fail(JSON.stringify(str), at === undefined ? 'end of input' : haskellShow(String.fromCodePoint(at)));
    }
    this.pos += str.length;
  }

  /** notFollowedBy-style failure: the unexpected character in single quotes. */
  failAt(what: string[]): never {
    const at = this.s.codePointAt(this.pos);
    const unexpected = at === undefined ? 'end of input' : `'${String.fromCodePoint(at)}'`;
    for (const w of what) this.expect(w, unexpected);
    throw FAIL;
  }

  /** Runs `p`; on failure restores the position and returns undefined (Parsec's optionMaybe (try p)). */
  attempt<T>(p: () => T): T | undefined {
    const save = this.pos;
    try {
      return p();
    } catch (e) {
      if (e !== FAIL) throw e;
      this.pos = save;
      return undefined;
    }
  }

  /** Succeeds without consuming when `p` would succeed (lookAhead). */
  lookAhead(p: () => void): void {
    const save = this.pos;
    p();
    this.pos = save;
  }

  error(source: string): RestError {
    const pos = Math.max(this.errPos, 0);
    const col = columnOf(this.s, pos);
    const at = this.s.codePointAt(pos);
    const unexpected =
      this.errUnexpected ?? (at === undefined ? 'end of input' : haskellShow(String.fromCodePoint(at)));
    const expected = [...this.errExpected];
    const expecting = expected.length === 0 ? '' : ` expecting ${expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`}`;
    return Errors.queryParam(`${haskellShow(source)} (line 1, column ${col})`, `unexpected ${unexpected}${expecting}`);
  }
}

function columnOf(s: string, pos: number): number {
  let col = 1;
  for (let i = 0; i < pos && i < s.length; ) {
    const cp = s.codePointAt(i) ?? 0;
    col = cp === 9 ? col + 8 - ((col - 1) % 8) : col + 1;
    i += cp > 0xffff ? 2 : 1;
  }
  return col;
}

/** Haskell's `show` for strings: what PostgREST's error messages quote. */
export function haskellShow(s: string): string {
  let out = '"';
  const cps = [...s];
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i] ?? '';
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else {
      out += `\\${cp}`;
      const nextCp = cps[i + 1]?.codePointAt(0);
      if (nextCp !== undefined && nextCp >= 48 && nextCp <= 57) out += '\\&';
    }
  }
  return `${out}"`;
}

function run<T>(source: string, input: string, p: (c: Cursor) => T): T {
  const c = new Cursor(input);
  try {
    return p(c);
  } catch (e) {
    if (e !== FAIL) throw e;
    throw c.error(source);
  }
}

function eofP(c: Cursor): void {
  if (!c.eof) c.failAt(['end of input']);
}

function ws(c: Cursor): void {
  while (c.peek() === ' ' || c.peek() === '\t') c.next();
}

function lexeme<T>(c: Cursor, p: () => T): T {
  ws(c);
  const v = p();
  ws(c);
  return v;
}

const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isIdentChar = (ch: string): boolean => isLetter(ch) || isDigit(ch) || ch === '_' || ch === ' ' || ch === '$';

/** `"…"` with backslash escapes. */
function quotedValue(c: Cursor): string {
  c.char('"');
  let out = '';
  for (;;) {
    const ch = c.peek();
    if (ch === undefined) c.fail('"\\""');
    if (ch === '"') break;
    c.next();
    if (ch === '\\') out += c.next();
    else out += ch;
  }
  c.char('"');
  return out;
}

function identifier(c: Cursor): string {
  let out = '';
  while (c.peek() !== undefined && isIdentChar(c.peek() as string)) out += c.next();
  if (out === '') c.fail('letter or digit');
  return out.trim();
}

/** `a-b-c`: pieces joined by dashes that do not start an arrow. */
function sepByDash(c: Cursor, piece: (c: Cursor) => string): string {
  const parts = [piece(c)];
  while (c.peek() === '-' && c.peek(1) !== '>') {
    c.next();
    parts.push(piece(c));
  }
  return parts.join('-');
}

export function fieldName(c: Cursor): string {
  if (c.peek() === '"') return quotedValue(c);
  const ch = c.peek();
  if (ch === undefined || !isIdentChar(ch)) c.fail('field name (* or [a..z0..9_$])');
  return sepByDash(c, identifier);
}

function jsonKeyIdentifier(c: Cursor): string {
  let out = '';
  while (c.peek() !== undefined && !'(-:.,>)'.includes(c.peek() as string)) out += c.next();
  if (out === '') c.fail('any non reserved character different from: .,>()');
  return out.trim();
}

function jsonPath(c: Cursor): JsonOp[] {
  const ops: JsonOp[] = [];
  for (;;) {
    let arrow: '->' | '->>';
    if (c.startsWith('->>')) arrow = '->>';
    else if (c.startsWith('->')) arrow = '->';
    else {
      c.expect('"->>"');
      c.expect('"->"');
      return ops;
    }
    c.pos += arrow.length;
    const idx = c.attempt(() => {
      let sign = '+';
      if (c.peek() === '-') {
        c.next();
        sign = '-';
      }
      let digits = '';
      while (c.peek() !== undefined && isDigit(c.peek() as string)) digits += c.next();
      if (digits === '') c.fail('digit');
      if (!(c.eof || c.startsWith('->') || c.startsWith('::') || c.startsWith('.') || c.startsWith(','))) {
        c.fail('digit');
      }
      return sign + digits;
    });
    if (idx !== undefined) ops.push({ arrow, index: idx });
    else {
      const key = c.peek() === '"' ? quotedValue(c) : sepByDash(c, jsonKeyIdentifier);
      ops.push({ arrow, key });
    }
  }
}

function field(c: Cursor): Field {
  return lexeme(c, () => {
    const name = fieldName(c);
    const path = jsonPath(c);
    return { name, jsonPath: path };
  });
}

/** `:` that is not the start of `::`. */
function aliasSeparator(c: Cursor): void {
  c.char(':');
  if (c.peek() === ':') c.fail('', "':'");
}

function castIdentifier(c: Cursor): string {
  c.string('::');
  return identifier(c);
}

// ---------------------------------------------------------------------------------------------
// select

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

export function parseSelect(value: string): SelectItem[] {
  return run(`failed to parse select parameter (${value})`, value, (c) => {
    const items = fieldForest(c);
    eofP(c);
    return items;
  });
}

// ---------------------------------------------------------------------------------------------
// filters

function delimiter(c: Cursor): void {
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
// order

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

// ---------------------------------------------------------------------------------------------
// columns, on_conflict

function columnList(source: string, value: string): string[] {
  return run(source, value, (c) => {
    const cols = [fieldName(c)];
    for (;;) {
      ws(c);
      if (c.peek() !== ',') break;
      c.next();
      ws(c);
      cols.push(fieldName(c));
    }
    eofP(c);
    return cols;
  });
}

// ---------------------------------------------------------------------------------------------
// ranges

const INTEGER = /^\s*[+-]?\d+\s*$/;

function readInteger(v: string): number | undefined {
  return INTEGER.test(v) ? Number(v.trim()) : undefined;
}

export function rangeIsEmpty(r: RowRange): boolean {
  return r.upper !== null && r.upper < r.lower;
}

export function intersectRanges(a: RowRange, b: RowRange): RowRange {
  const lower = Math.max(a.lower, b.lower);
  const upper = a.upper === null ? b.upper : b.upper === null ? a.upper : Math.min(a.upper, b.upper);
  return { lower, upper };
}

/** restrictRange: at most `limit` rows from the range's offset. */
export function restrictRange(limit: number | undefined, r: RowRange): RowRange {
  if (limit === undefined) return r;
  return intersectRanges(r, { lower: Number.MIN_SAFE_INTEGER, upper: r.lower + limit - 1 });
}

export function rangeLimit(r: RowRange): number | undefined {
  return r.upper === null ? undefined : 1 + r.upper - r.lower;
}

export function hasLimitZero(r: RowRange): boolean {
  return r.upper === -1;
}

export const LIMIT_ZERO_RANGE: RowRange = { lower: 0, upper: -1 };

export function sameRange(a: RowRange, b: RowRange): boolean {
  return (rangeIsEmpty(a) && rangeIsEmpty(b)) || (a.lower === b.lower && a.upper === b.upper);
}

/** The `Range: 0-9` request header (GET only); anything malformed means all rows. */
export function parseRangeHeader(value: string | undefined): RowRange {
  if (value === undefined) return ALL_RANGE;
  const m = /^([0-9]+)-([0-9]*)$/.exec(value);
  if (!m) return ALL_RANGE;
  const lower = Number(m[1]);
  const upper = m[2] === '' ? null : Number(m[2]);
  return intersectRanges({ lower, upper: null }, { lower: Number.MIN_SAFE_INTEGER, upper });
}

// ---------------------------------------------------------------------------------------------
// the whole query string

/** Splits a raw query string like Haskell's parseQueryReplacePlus: `+` is a space; no `=` → no value. */
export function splitQuery(raw: string): [string, string | undefined][] {
  const q = raw.startsWith('?') ? raw.slice(1) : raw;
  if (q === '') return [];
  return q
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = i === -1 ? p : p.slice(0, i);
      const v = i === -1 ? undefined : p.slice(i + 1);
      return [decodeComponent(k), v === undefined ? undefined : decodeComponent(v)];
    });
}

function decodeComponent(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // Invalid percent-escapes are kept literally, byte by byte where possible.
    return plus.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

function lastSegment(key: string): string {
  const parts = key.split('.');
  return parts[parts.length - 1] ?? '';
}

const RESERVED = new Set(['select', 'columns', 'on_conflict']);
const RESERVED_EMBEDDABLE = new Set(['order', 'limit', 'offset', 'and', 'or']);

function canonicalQuery(pairs: [string, string | undefined][]): string {
  // Network.HTTP.Base.urlEncode: only [A-Za-z0-9-_.~] stay as they are.
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${enc(k)}=${enc(v ?? '')}`)
    .join('&');
}

export function parseQueryParams(rawQuery: string, isRpcRead: boolean): QueryParams {
  const pairs = splitQuery(rawQuery);
  const nonEmpty = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  const lookup = (name: string): string | undefined => pairs.find(([k]) => k === name)?.[1];

  const order: [EmbedPath, OrderTerm[]][] = [];
  const logic: [EmbedPath, LogicTree][] = [];
  const filters: [EmbedPath, Filter][] = [];
  const rpcParams: [string, string][] = [];
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'order') {
      const { path, terms } = parseOrder(k, v);
      order.push([path, terms]);
    }
  }
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'and' || last === 'or') {
      const { path, tree } = parseLogic(k, v);
      logic.push([path, tree]);
    }
  }
  const columnsRaw = lookup('columns');
  const columns = columnsRaw === undefined ? undefined : columnList(`failed to parse columns parameter (${columnsRaw})`, columnsRaw);
  const selectRaw = lookup('select') ?? '*';
  const select = parseSelect(selectRaw);
  const filterFields = new Set<string>();
  for (const [k, v] of nonEmpty) {
    if (RESERVED.has(k) || RESERVED_EMBEDDABLE.has(lastSegment(k))) continue;
    filterFields.add(k);
    const f = parseFilter(k, v, isRpcRead);
    if (f.expr) filters.push([f.path, { field: f.field, expr: f.expr }]);
    else rpcParams.push([f.field.name, f.raw ?? v]);
  }
  const onConflictRaw = lookup('on_conflict');
  const onConflict =
    onConflictRaw === undefined ? undefined : columnList(`failed to parse on_conflict parameter (${onConflictRaw})`, onConflictRaw);

  const limits = new Map<string, RowRange>();
  const offsets = new Map<string, RowRange>();
  for (const [k, v] of nonEmpty) {
    const last = lastSegment(k);
    if (last === 'limit') limits.set(k, restrictRange(readInteger(v), ALL_RANGE));
    if (last === 'offset') {
      const key = [...k.split('.').slice(0, -1), 'limit'].join('.');
      const o = readInteger(v);
      offsets.set(key, o === undefined ? ALL_RANGE : { lower: o, upper: null });
    }
  }
  const ranges = new Map<string, RowRange>();
  for (const [k, l] of limits) {
    const o = offsets.get(k);
    if (o) {
      const lim = rangeLimit(l) ?? 0;
      ranges.set(k, { lower: o.lower, upper: o.lower + lim - 1 });
    } else ranges.set(k, l);
  }
  for (const [k, o] of offsets) if (!ranges.has(k)) ranges.set(k, o);

  const result: QueryParams = {
    canonical: canonicalQuery(pairs),
    rpcParams,
    ranges,
    order,
    logic,
    select,
    filters,
    filtersRoot: filters.filter(([p]) => p.length === 0).map(([, f]) => f),
    filtersNotRoot: filters.filter(([p]) => p.length > 0),
    filterFields,
  };
  if (columns) result.columns = columns;
  if (onConflict) result.onConflict = onConflict;
  return result;
}
