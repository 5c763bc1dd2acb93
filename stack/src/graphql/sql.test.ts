// The compiler on its own: one statement per root field, every value a parameter (never SQL
// text), and the statement's shape for pagination, relationships and mutations.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { runGraphql } from './index.ts';
import type { Statement } from './sql.ts';
import { builtSchema } from './test-fixtures.ts';

/** Runs a document with a runner that records the statements and answers `value`. */
async function compile(query: string, variables: Record<string, unknown> = {}, value: unknown = null) {
  const statements: Statement[] = [];
  const runner = {
    query: async <T>(s: Statement) => {
      statements.push(s);
      return [{ value, affected: 0 }] as T[];
    },
  };
  const result = await runGraphql(builtSchema(null), runner, { query, variables });
  return { statements, result };
}

const EVIL = `x'); drop table blog; --`;

describe('statements', () => {
  it('one statement per root field, however deep the selection', async () => {
    const { statements } = await compile('{ a: blogCollection { edges { node { id blog_postCollection { edges { node { blog { id } } } } } } } b: blog_postCollection { pageInfo { hasNextPage } } }');
    assert.equal(statements.length, 2);
  });

  it('filter values, cursors and node ids are parameters, never text', async () => {
    const nodeId = Buffer.from(JSON.stringify(['public', 'blog', EVIL])).toString('base64');
    const { statements } = await compile(
      `query Q($v: String, $c: Cursor, $n: ID) { blogCollection(filter: {display_name: {eq: $v, like: $v}, nodeId: {eq: $n}}, orderBy: [{display_name: AscNullsLast}], after: $c) { edges { node { id } } } }`,
      { v: EVIL, c: Buffer.from(JSON.stringify([EVIL, 1])).toString('base64'), n: nodeId },
    );
    const [s] = statements;
    assert.ok(s);
    assert.doesNotMatch(s.text, /drop table/);
    assert.ok(s.values.includes(EVIL));
  });

  it('mutations put their inputs in parameters too', async () => {
    const { statements } = await compile('mutation($t: String!) { insertIntoblog_postCollection(objects: [{title: $t, blog_id: 1}]) { affectedCount } updateblogCollection(set: {display_name: $t}, filter: {display_name: {eq: $t}}) { affectedCount } }', { t: EVIL });
    assert.equal(statements.length, 2);
    for (const s of statements) {
      assert.doesNotMatch(s.text, /drop table/);
      assert.ok(s.values.includes(EVIL));
    }
    assert.match(statements[0]?.text ?? '', /^with __affected as \(insert into "public"\."blog_post" \("blog_id", "title"\) values \(\$1::integer, \$2::text\) returning \*\)/);
    assert.match(statements[1]?.text ?? '', /^with __affected as \(update "public"\."blog" as b1 set "display_name" = \$1::text where b1\."display_name" = \$2::text returning b1\.\*\)/);
  });

  it('orders by the requested columns, then the primary key', async () => {
    const { statements } = await compile('{ blogCollection(orderBy: [{display_name: DescNullsFirst}]) { edges { cursor } } }');
    assert.match(statements[0]?.text ?? '', /order by b1\."display_name" desc nulls first, b1\."id" asc nulls last limit 30 offset 0/);
  });

  it('last/before reads in reverse and hands the page back in order', async () => {
    const { statements } = await compile('{ blogCollection(last: 2) { edges { cursor } } }');
    const text = statements[0]?.text ?? '';
    assert.match(text, /with __records as \(select b1\.\* from "public"\."blog" b1 where true and true and true order by b1\."id" desc nulls first limit 2 offset 0\)/);
    assert.match(text, /jsonb_agg\(.* order by b1\."id" asc nulls last\)/);
  });

  it('a malformed cursor or one of another order is refused before any SQL', async () => {
    const bad = await compile('{ blogCollection(after: "%%%") { edges { cursor } } }');
    assert.deepEqual(bad.result, { data: null, errors: [{ message: 'Invalid cursor' }] });
    const other = await compile(`{ blogCollection(after: "${Buffer.from('[1, 2]').toString('base64')}") { edges { cursor } } }`);
    assert.deepEqual(other.result, { data: null, errors: [{ message: 'orderBy clause incompatible with pagination cursor' }] });
    assert.equal(bad.statements.length + other.statements.length, 0);
  });

  it('atMost is checked against what the statement affected', async () => {
    const statements: Statement[] = [];
    const runner = { query: async <T>(s: Statement) => (statements.push(s), [{ value: { affectedCount: 2 }, affected: 2 }] as T[]) };
    const result = await runGraphql(builtSchema(null), runner, { query: 'mutation { deleteFromblogCollection(filter: {id: {in: [1, 2]}}) { affectedCount } }' });
    assert.deepEqual(result, { data: null, errors: [{ message: 'delete impacts too many records' }] });
  });
});
