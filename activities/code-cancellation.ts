import type { Database } from '../db/database';
import { markBatchCancelled } from '../db/code-batches';
import { cancelBatchCodes } from '../db/codes';

export interface CancelBatchCodesInput {
  batchId: string;
  reason: string;
  actor: string;
  limit: number;
}

export function createCodeCancellationActivities(db: Database) {
  return {
    /**
     * Cancels up to `limit` still-cancellable codes of a batch and records each change, in one transaction.
     * Idempotent by construction: a retry only finds the codes not yet cancelled. Returns how many it cancelled.
     */
    async cancelBatchCodes(input: CancelBatchCodesInput): Promise<number> {
      return cancelBatchCodes(db, input.batchId, input.limit, input.actor, input.reason);
    },

    async markBatchCancelled(batchId: string): Promise<void> {
      await markBatchCancelled(db, batchId);
    },
  };
}

export type CodeCancellationActivities = ReturnType<typeof createCodeCancellationActivities>;
