// A tiny Parsec for PostgREST's query grammar: a cursor with furthest-failure error reporting
// (PGRST100 with PostgREST's message, `"failed to parse filter (x)" (line 1, column N)`, and a
// Parsec-like "unexpected … expecting …"), backtracking by saved position, and the lexemes every
// parameter shares: identifiers, quoted values, fields with JSON paths, casts.
import { Errors, RestError } from '../errors.ts';
import type { Field, JsonOp } from './ast.ts';

export const FAIL = Symbol('parse-fail');

export class Cursor {
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

  char(c: string, label?: string): void {
    // The label is only built on failure (a default parameter would be built on every call).
    if (this.peek() !== c) this.fail(label ?? JSON.stringify(c));
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

export function run<T>(source: string, input: string, p: (c: Cursor) => T): T {
  const c = new Cursor(input);
  try {
    return p(c);
  } catch (e) {
    if (e !== FAIL) throw e;
    throw c.error(source);
  }
}

export function eofP(c: Cursor): void {
  if (!c.eof) c.failAt(['end of input']);
}

export function ws(c: Cursor): void {
  while (c.peek() === ' ' || c.peek() === '\t') c.next();
}

export function lexeme<T>(c: Cursor, p: () => T): T {
  ws(c);
  const v = p();
  ws(c);
  return v;
}

const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isIdentChar = (ch: string): boolean => isLetter(ch) || isDigit(ch) || ch === '_' || ch === ' ' || ch === '$';

/** `"…"` with backslash escapes. */
export function quotedValue(c: Cursor): string {
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

export function identifier(c: Cursor): string {
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

export function jsonPath(c: Cursor): JsonOp[] {
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

export function field(c: Cursor): Field {
  return lexeme(c, () => {
    const name = fieldName(c);
    const path = jsonPath(c);
    return { name, jsonPath: path };
  });
}

/** `:` that is not the start of `::`. */
export function aliasSeparator(c: Cursor): void {
  c.char(':');
  if (c.peek() === ':') c.fail('', "':'");
}

export function castIdentifier(c: Cursor): string {
  c.string('::');
  return identifier(c);
}

