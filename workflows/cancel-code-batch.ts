import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CodeCancellationActivities } from '../activities/code-cancellation';

export interface CancelCodeBatchInput {
  batchId: string;
  reason: string;
  actor: string;
  chunkSize: number;
}

export const cancelledCountQuery = defineQuery<number>('cancelled');

const { cancelBatchCodes, markBatchCancelled } = proxyActivities<CodeCancellationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** Cancels every still-unused (or reserved) code of a batch, chunk by chunk, until none is left. */
export async function cancelCodeBatchWorkflow(input: CancelCodeBatchInput): Promise<number> {
  let cancelled = 0;
  setHandler(cancelledCountQuery, () => cancelled);
  for (;;) {
    const n = await cancelBatchCodes({ batchId: input.batchId, reason: input.reason, actor: input.actor, limit: input.chunkSize });
    cancelled += n;
    if (n === 0) break;
  }
  await markBatchCancelled(input.batchId);
  return cancelled;
}
