// The arithmetic behind the small SVG charts (line, heatmap): plain functions, tested, so the
// components only draw. No chart library: three small charts do not justify its weight in the
// route's JavaScript.

export interface Point {
  label: string;
  value: number | null;
}

/** Coordinates of a line chart in a width × height box with padding; null values break the line. */
export function linePath(points: Point[], box: { width: number; height: number; pad: number }, max = 100): { d: string; dots: { x: number; y: number; point: Point }[] } {
  const { width, height, pad } = box;
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const y = (v: number) => pad + (1 - Math.min(Math.max(v, 0), max) / max) * (height - 2 * pad);
  const dots: { x: number; y: number; point: Point }[] = [];
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    const x = points.length > 1 ? pad + i * step : width / 2;
    if (p.value == null) {
      pen = false;
      return;
    }
    const py = y(p.value);
    d += `${pen ? 'L' : 'M'}${round(x)} ${round(py)}`;
    pen = true;
    dots.push({ x: round(x), y: round(py), point: p });
  });
  return { d, dots };
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface Day {
  day: string; // YYYY-MM-DD
  count: number;
}

export interface HeatCell extends Day {
  column: number; // week, 0 = oldest
  row: number; // weekday, 0 = Monday
  level: 0 | 1 | 2 | 3 | 4;
}

/** Weekday of a calendar date, Monday 0 … Sunday 6. */
export function weekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * A GitHub-style calendar: one column per week (Monday on top), the days in order. Levels split
 * the active days' counts into quartiles of the busiest day, so a learner's own rhythm shows
 * whether they do 1 or 20 quizzes a day.
 */
export function heatmapCells(days: Day[]): { cells: HeatCell[]; columns: number; months: { column: number; label: string }[] } {
  if (days.length === 0) return { cells: [], columns: 0, months: [] };
  const offset = weekday(days[0]!.day);
  const max = Math.max(0, ...days.map((d) => d.count));
  const level = (n: number): HeatCell['level'] => (n <= 0 || max === 0 ? 0 : (Math.min(4, Math.ceil((n / max) * 4)) as HeatCell['level']));
  const cells = days.map((d, i) => ({ ...d, column: Math.floor((i + offset) / 7), row: (i + offset) % 7, level: level(d.count) }));
  const months: { column: number; label: string }[] = [];
  let lastMonth = '';
  for (const c of cells) {
    // A month is labelled above the first week whose Monday falls in it.
    const month = c.day.slice(0, 7);
    if (c.row === 0 && month !== lastMonth) {
      months.push({ column: c.column, label: month });
      lastMonth = month;
    }
  }
  return { cells, columns: (cells.at(-1)?.column ?? 0) + 1, months };
}

/** What a year of activity says in one sentence's worth of numbers. */
export function activitySummary(days: Day[]): { activeDays: number; total: number; longestRun: number; best: Day | null } {
  let run = 0;
  let longestRun = 0;
  let best: Day | null = null;
  let total = 0;
  let activeDays = 0;
  for (const d of days) {
    total += d.count;
    if (d.count > 0) {
      activeDays++;
      run++;
      longestRun = Math.max(longestRun, run);
      if (!best || d.count > best.count) best = d;
    } else run = 0;
  }
  return { activeDays, total, longestRun, best };
}

/** Totals per calendar month (YYYY-MM), oldest first: the heatmap's table for screen readers. */
export function monthlyTotals(days: Day[]): { month: string; count: number; activeDays: number }[] {
  const out = new Map<string, { month: string; count: number; activeDays: number }>();
  for (const d of days) {
    const m = d.day.slice(0, 7);
    const row = out.get(m) ?? { month: m, count: 0, activeDays: 0 };
    row.count += d.count;
    if (d.count > 0) row.activeDays++;
    out.set(m, row);
  }
  return [...out.values()];
}
