// listV2 (POST /object/list-v2): flat and folder listings, cursors, sort orders, under RLS.
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { anonClient, mintUser, PRIVATE, serviceClient, setupFixtures, text, type TestUser } from './fixtures.ts';

let owner: TestUser;
let other: TestUser;
const service = serviceClient();
const TREE = ['a.txt', 'b-x.txt', 'b/1.txt', 'b/2.txt', 'c.txt', 'd/e/f.txt'];

before(async () => {
  await setupFixtures();
  owner = await mintUser();
  other = await mintUser();
  for (const name of TREE) {
    const { error } = await owner.client.storage.from(PRIVATE).upload(`${owner.id}/${name}`, text(name), { contentType: 'text/plain' });
    assert.equal(error, null);
  }
});

after(async () => {
  const { data } = await service.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/` });
  if (data?.objects.length) await service.storage.from(PRIVATE).remove(data.objects.map((o) => o.name));
});

const decode = (cursor: string | undefined) => Buffer.from(cursor ?? '', 'base64').toString();

describe('without a delimiter', () => {
  test('every object under the prefix, by name (bytewise), with its row', async () => {
    const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/` });
    assert.equal(res.error, null);
    assert.deepEqual({ hasNext: res.data?.hasNext, folders: res.data?.folders }, { hasNext: false, folders: [] });
    assert.deepEqual(
      res.data?.objects.map((o) => o.name),
      TREE.map((n) => `${owner.id}/${n}`),
    );
    const first = res.data!.objects[0]!;
    assert.deepEqual(Object.keys(first), ['id', 'name', 'metadata', 'updated_at', 'created_at', 'last_accessed_at']);
    assert.match(first.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ size: first.metadata?.size, mimetype: first.metadata?.mimetype }, { size: 5, mimetype: 'text/plain' });
    assert.ok(!Number.isNaN(Date.parse(first.created_at)));
  });

  test('pages with a cursor, by name and by created_at, both orders', async () => {
    const cases: { sortBy?: { column: 'name' | 'created_at'; order: 'asc' | 'desc' }; expected: string[] }[] = [
      { expected: TREE },
      { sortBy: { column: 'name', order: 'desc' }, expected: [...TREE].reverse() },
      { sortBy: { column: 'created_at', order: 'asc' }, expected: TREE },
      { sortBy: { column: 'created_at', order: 'desc' }, expected: [...TREE].reverse() },
    ];
    for (const { sortBy, expected } of cases) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, limit: 4, ...(cursor ? { cursor } : {}), ...(sortBy ? { sortBy } : {}) });
        assert.equal(res.error, null);
        pages++;
        seen.push(...res.data!.objects.map((o) => o.name.slice(owner.id.length + 1)));
        if (!res.data!.hasNext) {
          assert.equal(res.data!.nextCursor, undefined);
          break;
        }
        cursor = res.data!.nextCursor;
        assert.equal((res.data as { nextCursorKey?: string }).nextCursorKey, res.data!.objects.at(-1)!.name);
      }
      assert.deepEqual({ sortBy, seen, pages }, { sortBy, seen: expected, pages: 2 });
    }
  });

  test('the cursor is Storage’s: base64 of `l:<last name>` lines', async () => {
    const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, limit: 1, sortBy: { column: 'created_at', order: 'desc' } });
    const lines = decode(res.data?.nextCursor).split('\n');
    assert.deepEqual(lines.slice(0, 3), [`l:${owner.id}/d/e/f.txt`, 'o:desc', 'c:created_at']);
    assert.match(lines[3] ?? '', /^a:\d{4}-\d\d-\d\dT/);
  });
});

describe('with the delimiter', () => {
  test('folders once each (with a trailing /) and the files directly under the prefix, keyed by their last part', async () => {
    const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, with_delimiter: true });
    assert.equal(res.error, null);
    const folder = (name: string) => ({ key: name, name: `${owner.id}/${name}/`, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
    assert.deepEqual(res.data?.folders, [folder('b'), folder('d')]);
    assert.deepEqual(
      res.data?.objects.map((o) => [o.key, o.name]),
      ['a.txt', 'b-x.txt', 'c.txt'].map((n) => [n, `${owner.id}/${n}`]),
    );
    assert.deepEqual(Object.keys(res.data!.objects[0]!), ['key', 'name', 'id', 'updated_at', 'created_at', 'last_accessed_at', 'metadata']);
    assert.equal(res.data?.hasNext, false);
  });

  test('pages in byte order, a folder where its objects sort (b-x.txt < b/), both directions', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, with_delimiter: true, limit: 2, sortBy: { column: 'name', order }, ...(cursor ? { cursor } : {}) });
        assert.equal(res.error, null);
        const page = [...res.data!.folders.map((f) => f.name), ...res.data!.objects.map((o) => o.name)].map((n) => n.slice(owner.id.length + 1));
        seen.push(...page.sort((x, y) => (order === 'asc' ? (x < y ? -1 : 1) : x < y ? 1 : -1)));
        if (!res.data!.hasNext) break;
        cursor = res.data!.nextCursor;
      }
      const expected = ['a.txt', 'b-x.txt', 'b/', 'c.txt', 'd/'];
      assert.deepEqual(seen, order === 'asc' ? expected : [...expected].reverse());
    }
  });

  test('a prefix that is not a folder matches names that start with it', async () => {
    const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/b`, with_delimiter: true });
    assert.deepEqual(
      { folders: res.data?.folders.map((f) => f.name), objects: res.data?.objects.map((o) => o.name) },
      { folders: [`${owner.id}/b/`], objects: [`${owner.id}/b-x.txt`] },
    );
  });

  test('folders sorted by created_at carry their earliest object’s time', async () => {
    const res = await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, with_delimiter: true, sortBy: { column: 'created_at', order: 'asc' } });
    assert.equal(res.error, null);
    const b = res.data?.folders.find((f) => f.name === `${owner.id}/b/`) as { created_at?: string } | undefined;
    const first = (await owner.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/b/` })).data?.objects[0];
    assert.equal(b?.created_at, first?.created_at);
  });
});

describe('what RLS lets a caller see', () => {
  test('another user and anon list nothing of the owner’s folder; the service role lists it all', async () => {
    const empty = { data: { hasNext: false, folders: [], objects: [] }, error: null };
    assert.deepEqual(await other.client.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/`, with_delimiter: true }), empty);
    assert.deepEqual(await anonClient().storage.from(PRIVATE).listV2({ prefix: `${owner.id}/` }), empty);
    const all = await service.storage.from(PRIVATE).listV2({ prefix: `${owner.id}/` });
    assert.equal(all.data?.objects.length, TREE.length);
  });

  test('folders come only from objects the caller can see', async () => {
    const res = await other.client.storage.from(PRIVATE).listV2({ with_delimiter: true });
    assert.equal(res.error, null);
    assert.ok(!res.data?.folders.some((f) => f.name === `${owner.id}/`));
  });
});

describe('invalid requests', () => {
  const errorOf = (e: unknown) => {
    const err = e as { message?: string; status?: number; statusCode?: string; code?: string } | null;
    return { message: err?.message, status: err?.status, statusCode: err?.statusCode, code: err?.code };
  };

  test('a cursor that is not one, a sort column list-v2 does not know, a limit below 1', async () => {
    const files = owner.client.storage.from(PRIVATE);
    const bad = await files.listV2({ cursor: Buffer.from('nope').toString('base64') });
    assert.equal(bad.data, null);
    assert.deepEqual(errorOf(bad.error), { message: 'Invalid Parameter continuation token', status: 400, statusCode: '400', code: 'InvalidParameter' });
    const column = await files.listV2({ sortBy: { column: 'last_accessed_at' as 'name' } });
    assert.deepEqual({ status: errorOf(column.error).status, code: errorOf(column.error).code }, { status: 400, code: 'InvalidRequest' });
    assert.match(errorOf(column.error).message ?? '', /^body\/sortBy\/column /);
    const limit = await files.listV2({ limit: 0 });
    assert.match(errorOf(limit.error).message ?? '', /^body\/limit /);
  });
});
