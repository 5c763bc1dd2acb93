import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { lessonBlocks, readingMinutes } from './lessons.ts';

describe('lesson text', () => {
  it('splits Markdown into headings, lists and paragraphs', () => {
    const body = '# Ports\nEvery service listens\non a port.\n\n## Common ones\n- 22 SSH\n- 443 HTTPS\n\nLearn them.';
    assert.deepEqual(lessonBlocks(body), [
      { kind: 'heading', level: 2, text: 'Ports' },
      { kind: 'paragraph', text: 'Every service listens on a port.' },
      { kind: 'heading', level: 3, text: 'Common ones' },
      { kind: 'list', items: ['22 SSH', '443 HTTPS'] },
      { kind: 'paragraph', text: 'Learn them.' },
    ]);
  });
  it('keeps HTML as text (Svelte escapes it) and handles an empty body', () => {
    assert.deepEqual(lessonBlocks('<script>alert(1)</script>'), [{ kind: 'paragraph', text: '<script>alert(1)</script>' }]);
    assert.deepEqual(lessonBlocks(''), []);
  });
  it('estimates reading time', () => {
    assert.equal(readingMinutes('word '.repeat(1000)), 5);
    assert.equal(readingMinutes('short'), 1);
  });
});
