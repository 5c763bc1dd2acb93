import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { activitySummary, heatmapCells, linePath, monthlyTotals, weekday } from './charts.ts';

describe('line chart', () => {
  it('maps 0–100 onto the box, top is 100', () => {
    const { d, dots } = linePath([{ label: 'a', value: 0 }, { label: 'b', value: 100 }, { label: 'c', value: 50 }], { width: 220, height: 120, pad: 10 });
    assert.equal(d, 'M10 110L110 10L210 60');
    assert.equal(dots.length, 3);
  });
  it('breaks the line where a week has no data', () => {
    const { d, dots } = linePath([{ label: 'a', value: 50 }, { label: 'b', value: null }, { label: 'c', value: 50 }], { width: 220, height: 120, pad: 10 });
    assert.equal(d, 'M10 60M210 60');
    assert.deepEqual(dots.map((p) => p.point.label), ['a', 'c']);
  });
  it('centres a single point and clamps values', () => {
    assert.equal(linePath([{ label: 'a', value: 140 }], { width: 100, height: 100, pad: 0 }).d, 'M50 0');
  });
});

describe('heatmap', () => {
  it('knows weekdays (Monday first)', () => {
    assert.equal(weekday('2026-12-07'), 0); // a Monday
    assert.equal(weekday('2026-12-06'), 6); // a Sunday
  });
  it('places days in week columns with Monday on top and levels by quartile of the busiest day', () => {
    const days = [
      { day: '2026-11-29', count: 0 }, // Sunday
      { day: '2026-11-30', count: 1 }, // Monday: a new column
      { day: '2026-12-01', count: 8 },
      { day: '2026-12-02', count: 4 },
    ];
    const { cells, columns, months } = heatmapCells(days);
    assert.deepEqual(cells.map((c) => [c.column, c.row, c.level]), [[0, 6, 0], [1, 0, 1], [1, 1, 4], [1, 2, 2]]);
    assert.equal(columns, 2);
    assert.deepEqual(months, [{ column: 1, label: '2026-11' }]);
  });
  it('an idle year is all level 0', () => {
    const { cells } = heatmapCells([{ day: '2026-01-01', count: 0 }, { day: '2026-01-02', count: 0 }]);
    assert.deepEqual(cells.map((c) => c.level), [0, 0]);
  });
  it('sums the year and the months', () => {
    const days = [{ day: '2026-01-30', count: 2 }, { day: '2026-01-31', count: 3 }, { day: '2026-02-01', count: 0 }, { day: '2026-02-02', count: 5 }];
    assert.deepEqual(activitySummary(days), { activeDays: 3, total: 10, longestRun: 2, best: { day: '2026-02-02', count: 5 } });
    assert.deepEqual(monthlyTotals(days), [{ month: '2026-01', count: 5, activeDays: 2 }, { month: '2026-02', count: 5, activeDays: 1 }]);
    assert.deepEqual(activitySummary([]), { activeDays: 0, total: 0, longestRun: 0, best: null });
  });
});
