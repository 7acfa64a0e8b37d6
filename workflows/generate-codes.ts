import { ApplicationFailure, defineQuery, setHandler } from '@temporalio/workflow';
import type { CodeGenerationActivities } from '../activities/code-generation';
import { bookkeepingActivities, chunkActivities, runChunkedJob } from './chunked-job';

export interface GenerateCodesInput {
  batchId: string;
  quantity: number;
  chunkSize: number;
  /** Chunk activities in flight at once: while PostgreSQL indexes one chunk, the worker draws the next. */
  parallelism: number;
}

export interface GenerationProgress {
  requested: number;
  generated: number;
  chunksDone: number;
  chunksTotal: number;
}

export const generationProgressQuery = defineQuery<GenerationProgress>('progress');

const bookkeeping = bookkeepingActivities<CodeGenerationActivities>();
const chunkActivity = (index: number) =>
  chunkActivities<CodeGenerationActivities>(index, ['BatchNotFound', 'KeyspaceExhausted']).generateCodeChunk;

/** Fills a code batch with exactly `quantity` new codes, chunk by chunk; only counts travel through history. */
export async function generateCodesWorkflow(input: GenerateCodesInput): Promise<GenerationProgress> {
  const chunksTotal = Math.ceil(input.quantity / input.chunkSize);
  const progress: GenerationProgress = { requested: input.quantity, generated: 0, chunksDone: 0, chunksTotal };
  setHandler(generationProgressQuery, () => progress);

  await runChunkedJob({
    batchId: input.batchId,
    chunksTotal,
    parallelism: input.parallelism,
    markRunning: bookkeeping.markBatchRunning,
    finish: bookkeeping.finishBatch,
    runChunk: async (index) => {
      const size = Math.min(input.chunkSize, input.quantity - index * input.chunkSize);
      const { inserted } = await chunkActivity(index)({ batchId: input.batchId, chunkIndex: index, size });
      progress.generated += inserted;
      progress.chunksDone++;
    },
    verify: () => {
      if (progress.generated !== input.quantity) {
        throw ApplicationFailure.nonRetryable(`generated ${progress.generated} of ${input.quantity} codes`, 'CountMismatch');
      }
    },
  });
  return progress;
}
