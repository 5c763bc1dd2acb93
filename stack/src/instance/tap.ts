// Counting results in TAP output (pg_prove --verbose, vitest --reporter=tap-flat, deno test --reporter=tap).

export interface Tally {
  passed: number;
  failed: number;
  /** The descriptions of failed tests, to print. */
  failures: string[];
}

/**
 * Counts top-level and nested test points. Node's TAP reporter nests subtests and repeats a
 * parent point per suite, so when its `# pass`/`# fail` totals are present they win.
 */
export function tally(tap: string): Tally {
  const failures: string[] = [];
  let passed = 0;
  let failed = 0;
  let nodePass: number | undefined;
  let nodeFail: number | undefined;
  for (const raw of tap.split('\n')) {
    const line = raw.trim();
    const total = /^# (pass|fail) (\d+)$/.exec(line);
    if (total) {
      if (total[1] === 'pass') nodePass = Number(total[2]);
      else nodeFail = Number(total[2]);
      continue;
    }
    // A test point carries its number; pg_prove's bare "ok" after each file is a verdict, not a test.
    const point = /^(not ok|ok)\s+\d+\b\s*-?\s*(.*)$/.exec(line);
    if (!point) continue;
    const description = point[2] ?? '';
    const todoOrSkip = /#\s*(TODO|SKIP)\b/i.test(description);
    if (point[1] === 'ok' || todoOrSkip) passed++;
    else {
      failed++;
      failures.push(description);
    }
  }
  if (nodePass !== undefined && nodeFail !== undefined) {
    return { passed: nodePass, failed: nodeFail, failures };
  }
  return { passed, failed, failures };
}
