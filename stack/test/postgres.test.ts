import assert from 'node:assert/strict';
import { test } from 'vitest';
import { instance, readConfig } from '../src/config.ts';
import { serverSettings } from '../src/instance/cluster.ts';

const DURABILITY = ['fsync', 'synchronous_commit', 'full_page_writes'];

test('dev keeps fsync, synchronous_commit and full_page_writes on; a disposable instance turns them off', async () => {
  const cfg = readConfig();
  const dev = await serverSettings(instance('dev', cfg, {}));
  for (const name of DURABILITY) assert.equal(dev[name], undefined, `dev leaves ${name} at its default (on)`);
  const disposable = await serverSettings(instance('test', cfg, {}));
  for (const name of DURABILITY) assert.equal(disposable[name], 'off');
  const durableTest = await serverSettings(instance('test', cfg, {}), true);
  for (const name of DURABILITY) assert.equal(durableTest[name], undefined, `a durable override leaves ${name} on`);
});
