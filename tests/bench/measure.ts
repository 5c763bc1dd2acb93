// What every benchmark measures with: nearest-rank percentiles, and a closed-loop runner that keeps
// `concurrency` operations in flight until `total` have completed; a shared clock, histograms and
// per-process CPU and memory from /proc for benchmarks that span processes.
import { readdirSync, readFileSync } from 'node:fs';

/** The p-th percentile (nearest rank) of an ascending array; NaN when it is empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export interface Result {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Runs `op` `total` times, `concurrency` at once; throughput and latency percentiles in ms. */
export async function measure(op: () => Promise<void>, total: number, concurrency: number): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t0 = performance.now();
        await op();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/** CLOCK_MONOTONIC in milliseconds: the same clock in every process of the machine. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Width of a latency histogram bucket. */
export const LATENCY_BUCKET_MS = 0.1;

/** The p-th percentile (nearest rank) of a histogram given as [bucket, count] pairs, in bucket units. */
export function histogramPercentile(buckets: [number, number][], p: number): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [bucket, count] of sorted) {
    seen += count;
    if (seen >= rank) return bucket;
  }
  return sorted[sorted.length - 1]![0];
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ on Linux
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process whose parent is `ppid` (e.g. Postgres backends). */
export function childrenCpuSeconds(ppid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === ppid) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** Resident memory of a process in MB (VmRSS), NaN when it is gone. */
export function processRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
