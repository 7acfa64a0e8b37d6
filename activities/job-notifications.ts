import type { Database } from '../db/database';
import { findBatch, markBatchFinished } from '../db/code-batches';
import { enqueueOutbox } from '../db/outbox';

/**
 * Finishes a generation or import job and, in the same transaction, writes its code_batch.* / code_import.*
 * notification (docs/webhooks.md), so a job is announced exactly when its final state commits, and once.
 */
export async function finishJob(db: Database, batchId: string, status: 'completed' | 'failed', error?: string): Promise<void> {
  await db.transaction(async (client) => {
    if (!(await markBatchFinished(client, batchId, status, error))) return;
    const batch = (await findBatch(client, batchId))!;
    const pool = { type: batch.poolKind, id: batch.poolOwnerId };
    const finishedAt = batch.finishedAt?.toISOString() ?? null;
    if (batch.source === 'generation') {
      await enqueueOutbox(client, status === 'completed' ? 'code_batch.completed' : 'code_batch.failed', {
        version: 1,
        batchId,
        status,
        pool,
        requested: batch.requested,
        generated: batch.generated,
        error: batch.error,
        finishedAt,
      });
    } else {
      await enqueueOutbox(client, status === 'completed' ? 'code_import.completed' : 'code_import.failed', {
        version: 1,
        importId: batchId,
        status,
        pool,
        rows: batch.requested,
        imported: batch.generated,
        rejected: batch.rejected,
        error: batch.error,
        finishedAt,
      });
    }
  });
}
