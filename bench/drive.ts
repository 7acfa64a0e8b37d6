/** The bench's load driver: calls with a fixed number in flight, and their latency percentiles. */

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Run {
  latencies: number[];
  wallMs: number;
}

/** Runs calls `first`..`first + total - 1` with `concurrency` callers in flight; per-call latencies (ms), wall time. */
export async function drive(total: number, call: (i: number) => Promise<void>, concurrency: number, first = 0): Promise<Run> {
  const latencies: number[] = [];
  let next = first;
  const end = first + total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
}

export const stats = (r: Run) => ({
  rate: r.latencies.length / (r.wallMs / 1000),
  p50: percentile(r.latencies, 50),
  p99: percentile(r.latencies, 99),
});
