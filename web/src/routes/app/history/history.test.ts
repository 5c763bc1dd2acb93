import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { filterQuery, nextDay, pageRange, readFilters, startOfDay, timeWindow } from './history.ts';

describe('history filters', () => {
  it('reads valid filters from the URL and drops malformed ones', () => {
    assert.deepEqual(readFilters(new URLSearchParams('exam=security&mode=review&outcome=passed&from=2026-01-01&to=2026-02-01&page=3')), {
      exam: 'security', mode: 'review', outcome: 'passed', from: '2026-01-01', to: '2026-02-01', page: 3,
    });
    assert.deepEqual(readFilters(new URLSearchParams('exam=Bad Exam!&mode=cheat&outcome=&from=yesterday&page=-2')), {
      exam: undefined, mode: undefined, outcome: undefined, from: undefined, to: undefined, page: 1,
    });
  });

  it('writes short query strings', () => {
    assert.equal(filterQuery({ exam: 'security', mode: undefined, outcome: 'failed' }, 1), '?exam=security&outcome=failed');
    assert.equal(filterQuery({}, 2), '?page=2');
    assert.equal(filterQuery({}), '');
  });
});

describe('local days as instants', () => {
  it('starts a day at local midnight, across daylight saving time', () => {
    assert.equal(startOfDay('2026-01-15', 'UTC'), '2026-01-15T00:00:00.000Z');
    assert.equal(startOfDay('2026-01-15', 'America/New_York'), '2026-01-15T05:00:00.000Z');
    assert.equal(startOfDay('2026-07-15', 'America/New_York'), '2026-07-15T04:00:00.000Z');
    assert.equal(startOfDay('2026-03-29', 'Europe/Paris'), '2026-03-28T23:00:00.000Z', 'the night the clocks go forward');
    assert.equal(startOfDay('2026-01-15', 'Not/AZone'), '2026-01-15T00:00:00.000Z');
  });

  it('takes the date range as whole local days, in either order', () => {
    assert.equal(nextDay('2026-12-31'), '2027-01-01');
    assert.deepEqual(timeWindow({ from: '2026-06-01', to: '2026-06-30' }, 'Asia/Tokyo'), {
      p_from: '2026-05-31T15:00:00.000Z', p_to: '2026-06-30T15:00:00.000Z',
    });
    assert.deepEqual(timeWindow({ from: '2026-06-30', to: '2026-06-01' }, 'UTC'), { p_from: '2026-06-01T00:00:00.000Z', p_to: '2026-07-01T00:00:00.000Z' });
    assert.deepEqual(timeWindow({}, 'UTC'), {});
  });
});

describe('pages', () => {
  it('says which rows a page shows', () => {
    assert.deepEqual(pageRange(1, 0), { first: 0, last: 0, pages: 1 });
    assert.deepEqual(pageRange(2, 45), { first: 21, last: 40, pages: 3 });
    assert.deepEqual(pageRange(3, 45), { first: 41, last: 45, pages: 3 });
  });
});
