/**
 * Runs chunk 0 … total-1 with at most `parallelism` in flight, in index order. Deterministic: the order in
 * which chunks start depends only on the order in which earlier ones finished, which history records.
 */
export async function runChunks(total: number, parallelism: number, runChunk: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) await runChunk(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, total) }, lane));
}

/** Retry policy of a chunk: until it succeeds (a database outage only delays it), unless the failure is final. */
export function chunkRetry(finalFailures: string[]) {
  return { initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes: finalFailures };
}
