// pg_graphql's naming: comment directives (`@graphql({...})`) and inflection (src/graphql.rs:
// to_base_type_name, lowercase_first_letter, graphql_foreign_key_field_name).

/** The JSON of a comment's `@graphql(...)` directive, and the comment without it (the description). */
export function commentDirective(comment: string | null): { directive: Record<string, unknown>; description: string | null } {
  if (comment === null) return { directive: {}, description: null };
  const m = /@graphql\(\s*(\{[\s\S]*\})\s*\)/.exec(comment);
  if (!m) return { directive: {}, description: comment };
  let directive: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(m[1] ?? '{}');
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) directive = parsed as Record<string, unknown>;
  } catch {
    directive = {};
  }
  const rest = comment.replace(m[0], '').trim();
  return { directive, description: rest === '' ? null : rest };
}

/** `account_BY_email` → `AccountBYEmail` with inflection, unchanged without. */
export function baseTypeName(name: string, inflect: boolean): string {
  if (!inflect) return name;
  let out = '';
  let prev = '+';
  for (const ch of name) {
    out += /[\p{L}\p{N}]/u.test(prev) ? ch : ch.toUpperCase();
    prev = ch;
  }
  return out.replaceAll('_', '');
}

export function lowerFirst(token: string): string {
  const [first = ''] = token;
  return first.toLowerCase() + token.slice(first.length);
}

export const columnFieldName = (column: string, inflect: boolean): string => (inflect ? lowerFirst(baseTypeName(column, true)) : column);

/** Functions: a leading underscore is dropped, then inflected, then the first letter lowered. */
export const functionFieldName = (name: string, inflect: boolean): string => lowerFirst(baseTypeName(name.replace(/^_/, ''), inflect));

export const argumentName = (name: string, inflect: boolean): string => lowerFirst(baseTypeName(name, inflect));

/**
 * The field for a foreign key on the table holding it (`forward`, to the referenced row) or on the
 * referenced table (`reverse`, a collection unless the key is unique there).
 */
export function foreignKeyFieldName(opts: { targetTypeBase: string; columns: string[]; inflect: boolean; unique: boolean }): string {
  const asField = lowerFirst(opts.targetTypeBase);
  let singular = asField;
  const [only] = opts.columns;
  if (opts.columns.length === 1 && only !== undefined) {
    const suffix = opts.inflect ? '_id' : 'Id';
    if (only.endsWith(suffix) && only.length > suffix.length) singular = lowerFirst(baseTypeName(only.slice(0, -suffix.length), opts.inflect));
  }
  return opts.unique ? singular : `${asField}Collection`;
}

/** GraphQL names: /^[_A-Za-z][_0-9A-Za-z]*$/, and not the reserved `__` prefix. */
export const isValidName = (name: string): boolean => /^[_A-Za-z][_0-9A-Za-z]*$/.test(name) && !name.startsWith('__');
