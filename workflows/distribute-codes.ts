import { ApplicationFailure, defineQuery, executeChild, setHandler } from '@temporalio/workflow';
import type { DistributionActivities } from '../activities/distribution';
import type { GenerateCodesInput } from './generate-codes';
import { bookkeepingActivities, chunkActivities, runChunkedJob } from './chunked-job';

export interface DistributeCodesInput {
  distributionId: string;
  /** Members staged in distribution_members (the audience itself never enters history). */
  members: number;
  chunkSize: number;
  parallelism: number;
  /** A generation to run first, as a child workflow, when the pool had too few codes and a top-up was asked for. */
  topUp?: { workflowId: string; generation: GenerateCodesInput };
}

export interface DistributionProgress {
  members: number;
  assigned: number;
  chunksDone: number;
  chunksTotal: number;
  /** Codes the top-up generated (0 without one). */
  toppedUp: number;
}

export const distributionProgressQuery = defineQuery<DistributionProgress>('progress');

const bookkeeping = bookkeepingActivities<DistributionActivities>();
const chunkActivity = (index: number) =>
  chunkActivities<DistributionActivities>(index, ['DistributionNotFound', 'DistributionCancelled', 'NotEnoughCodes']).distributeCodeChunk;

/** Gives each staged member one code of the pool, chunk by chunk; only counts travel through history. */
export async function distributeCodesWorkflow(input: DistributeCodesInput): Promise<DistributionProgress> {
  const chunksTotal = Math.ceil(input.members / input.chunkSize);
  const progress: DistributionProgress = { members: input.members, assigned: 0, chunksDone: 0, chunksTotal, toppedUp: 0 };
  setHandler(distributionProgressQuery, () => progress);

  await runChunkedJob({
    batchId: input.distributionId,
    chunksTotal,
    parallelism: input.parallelism,
    markRunning: bookkeeping.markDistributionRunning,
    finish: bookkeeping.finishDistribution,
    prepare: async () => {
      if (!input.topUp) return;
      // The generation is a job of its own (its batch row, its workflow in the UI); the distribution waits for it.
      const generated = await executeChild('generateCodesWorkflow', { workflowId: input.topUp.workflowId, args: [input.topUp.generation] });
      progress.toppedUp = (generated as { generated: number }).generated;
    },
    runChunk: async (index) => {
      const fromRow = index * input.chunkSize;
      const toRow = Math.min(fromRow + input.chunkSize, input.members);
      const { assigned } = await chunkActivity(index)({ distributionId: input.distributionId, chunkIndex: index, fromRow, toRow });
      progress.assigned += assigned;
      progress.chunksDone++;
    },
    verify: () => {
      if (progress.assigned !== input.members) {
        throw ApplicationFailure.nonRetryable(`assigned ${progress.assigned} codes to ${input.members} members`, 'CountMismatch');
      }
    },
  });
  return progress;
}
