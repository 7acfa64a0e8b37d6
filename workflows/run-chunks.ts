import { proxyActivities } from '@temporalio/workflow';

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

/**
 * The activities of one chunk. A stable activity id per chunk (`chunk-<n>`) makes each chunk easy to find, and
 * to retry, in the UI and the CLI. A chunk retries until it succeeds (a database outage only delays it; each
 * attempt's error shows on the pending activity), unless its failure is one of `finalFailures`.
 */
export function chunkActivities<A extends object>(chunkIndex: number, finalFailures: string[]) {
  return proxyActivities<A>({
    activityId: `chunk-${chunkIndex}`,
    startToCloseTimeout: '10 minutes',
    // A chunk heartbeats as it goes: a worker that dies mid-chunk is noticed in seconds, not at the timeout.
    heartbeatTimeout: '15 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes: finalFailures },
  });
}

/** Activities that only record a job's state. */
export function bookkeepingActivities<A extends object>() {
  return proxyActivities<A>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10 seconds' } });
}
