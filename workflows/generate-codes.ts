import { ApplicationFailure, CancellationScope, defineQuery, rootCause, setHandler } from '@temporalio/workflow';
import type { CodeGenerationActivities } from '../activities/code-generation';
import { bookkeepingActivities, chunkActivities, runChunks } from './run-chunks';

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

  await bookkeeping.markBatchRunning(input.batchId);
  try {
    await runChunks(chunksTotal, input.parallelism, async (index) => {
      const size = Math.min(input.chunkSize, input.quantity - index * input.chunkSize);
      const { inserted } = await chunkActivity(index)({ batchId: input.batchId, chunkIndex: index, size });
      progress.generated += inserted;
      progress.chunksDone++;
    });
    if (progress.generated !== input.quantity) {
      throw ApplicationFailure.nonRetryable(`generated ${progress.generated} of ${input.quantity} codes`, 'CountMismatch');
    }
  } catch (error) {
    // Non-cancellable: a cancelled workflow would otherwise cancel this activity before it is even scheduled.
    await CancellationScope.nonCancellable(() => bookkeeping.finishBatch(input.batchId, 'failed', rootCause(error) ?? String(error)));
    throw error;
  }
  await bookkeeping.finishBatch(input.batchId, 'completed');
  return progress;
}
