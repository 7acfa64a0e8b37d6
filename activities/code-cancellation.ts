import type { Database } from '../db/database';
import { markBatchCancelled } from '../db/code-batches';

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
      const { rowCount } = await db.query(
        `with picked as (
           select code, status from codes where batch_id = $1 and status in ('unused', 'reserved')
            order by code limit $2 for update skip locked),
         cancelled as (
           update codes c set status = 'cancelled', status_changed_at = now() from picked
            where c.code = picked.code returning c.code, picked.status as previous)
         insert into code_history (code, kind, from_status, to_status, actor, reason)
         select code, 'status_change', previous, 'cancelled', $3, $4 from cancelled`,
        [input.batchId, input.limit, input.actor, input.reason],
      );
      return rowCount ?? 0;
    },

    async markBatchCancelled(batchId: string): Promise<void> {
      await markBatchCancelled(db, batchId);
    },
  };
}

export type CodeCancellationActivities = ReturnType<typeof createCodeCancellationActivities>;
