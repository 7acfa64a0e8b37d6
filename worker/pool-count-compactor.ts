import type { Database } from '../db/database';
import { compactPoolCounts } from '../db/code-pool-counts';
import { describeError } from '../model/errors';
import { logger } from '../runtime/logger';

/**
 * How often a running worker folds the per-pool count deltas. Between folds a pool gains two rows per redemption,
 * so this bounds what /stats sums (a few thousand rows at a busy campaign's pace, still under a millisecond's work
 * per thousand).
 */
export const COMPACT_COUNTS_EVERY_MS = 10_000;

/**
 * Folds the count deltas every `everyMs` (db/code-pool-counts.ts). Several workers may run it at once; a failed
 * pass (database away) is logged and the next tick tries again. Counts are exact whether or not it runs.
 */
export function startPoolCountCompactor(db: Database, everyMs = COMPACT_COUNTS_EVERY_MS): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = compactPoolCounts(db).catch((error) =>
      logger.warn({ err: describeError(error) }, 'folding pool count deltas failed; retrying later'),
    );
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
