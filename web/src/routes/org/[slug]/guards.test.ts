// Every page under /org/[slug] checks its section before it reads anything: the layout lets any
// member through (a learner included), so a page that forgot requireSection would render for them.
// The database still decides what they can read; this keeps the page shown honest.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'vitest';

const root = join(import.meta.dirname);
const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('+page.server.ts')).map((f) => join(root, f));

describe('organisation page guards', () => {
  // Every organisation page, so one that disappears (and with it its guard test) is noticed.
  it('finds the pages', () => assert.equal(files.length, 17, `${files.length} pages`));

  for (const file of files) {
    const name = relative(root, file) || '+page.server.ts';
    const src = readFileSync(file, 'utf8');
    it(`${name}: the load checks its section from the layout's access`, () => {
      assert.match(src, /requireSection\(await (event\.)?parent\(\), '[a-z]+'\)/);
    });
    if (/export const actions/.test(src)) {
      it(`${name}: the actions check the organisation and section themselves`, () => {
        // Actions do not run the layout's load; a shared action (questions.server.ts) checks inside.
        assert.ok(/orgSection\(event, '[a-z]+'\)/.test(src) || /from '\.\.\/questions\.server\.ts'/.test(src), 'orgSection in the actions');
      });
    }
  }
});
