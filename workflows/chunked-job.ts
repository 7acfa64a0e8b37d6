import { CancellationScope, proxyActivities, rootCause } from '@temporalio/workflow';

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

/** A job over a code batch, run in chunks: the one skeleton of generation and import. */
export interface ChunkedJob {
  batchId: string;
  chunksTotal: number;
  parallelism: number;
  /** The job's bookkeeping activities (their names are in recorded histories, so each job keeps its own). */
  markRunning(batchId: string): Promise<void>;
  finish(batchId: string, status: 'completed' | 'failed', error?: string): Promise<void>;
  runChunk(index: number): Promise<void>;
  /** Runs once the job is marked running, before the chunks (e.g. a distribution's top-up generation). */
  prepare?(): Promise<void>;
  /** Throws when the chunks' results don't add up (checked before the job is marked completed). */
  verify?(): void;
}

/**
 * Marks the batch running, runs every chunk, then marks it completed, or failed with the root cause of the
 * first failure. The command sequence (running, chunks, finish) is what recorded histories replay.
 */
export async function runChunkedJob(job: ChunkedJob): Promise<void> {
  await job.markRunning(job.batchId);
  try {
    await job.prepare?.();
    await runChunks(job.chunksTotal, job.parallelism, job.runChunk);
    job.verify?.();
  } catch (error) {
    // Non-cancellable: a cancelled workflow would otherwise cancel this activity before it is even scheduled.
    await CancellationScope.nonCancellable(() => job.finish(job.batchId, 'failed', rootCause(error) ?? String(error)));
    throw error;
  }
  await job.finish(job.batchId, 'completed');
}
