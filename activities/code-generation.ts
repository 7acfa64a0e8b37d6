import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../db/database';
import { findBatch, markBatchRunning } from '../db/code-batches';
import { claimChunk, recordChunk } from '../db/code-batch-chunks';
import { copyNewCodes, insertCodesSkippingExisting } from '../db/codes';
import { CodeGenerator } from '../domain/code-generator';
import { finishJob } from './job-notifications';

export interface GenerateCodeChunkInput {
  batchId: string;
  chunkIndex: number;
  size: number;
}

export interface GenerateCodeChunkResult {
  inserted: number;
  /** True when an earlier attempt had already committed this chunk. */
  alreadyDone: boolean;
}

/** Test seams: lets a test make a chunk fail around its commit, to prove retries double nothing. */
export interface ChunkFaults {
  beforeCommit?(input: { chunkIndex?: number; eventId?: string }, attempt: number): void;
  afterCommit?(input: { chunkIndex?: number; eventId?: string }, attempt: number): void;
}

// Redraw rounds without progress before a chunk gives up: only reachable when the keyspace is exhausted.
const MAX_ROUNDS_WITHOUT_PROGRESS = 20;

export function createCodeGenerationActivities(db: Database, faults: ChunkFaults = {}) {
  return {
    async markBatchRunning(batchId: string): Promise<void> {
      await markBatchRunning(db, batchId);
    },

    async finishBatch(batchId: string, status: 'completed' | 'failed', error?: string): Promise<void> {
      await finishJob(db, batchId, status, error);
    },

    /**
     * Generates and inserts exactly `size` new codes in one transaction, together with the chunk's row in
     * code_batch_chunks. Retried after a crash before the commit, it starts over (nothing was written); retried
     * after the commit, it finds the chunk row and returns the committed count. Codes never leave the worker.
     */
    async generateCodeChunk(input: GenerateCodeChunkInput): Promise<GenerateCodeChunkResult> {
      const { attempt } = Context.current().info;
      const result = await db.transaction(async (client) => {
        Context.current().heartbeat();
        const claim = await claimChunk(client, input.batchId, input.chunkIndex);
        if (!claim.claimed) return { inserted: claim.inserted, alreadyDone: true };

        const batch = await findBatch(client, input.batchId);
        if (!batch?.spec) throw ApplicationFailure.nonRetryable(`code batch ${input.batchId} is not a generation`, 'BatchNotFound');
        const generator = new CodeGenerator(batch.spec);

        let inserted = 0;
        let redraws = 0;
        const firstDraw = generator.distinct(input.size);
        Context.current().heartbeat();
        if (await copyNewCodes(client, batch.poolId, batch.id, firstDraw)) {
          inserted = input.size;
        } else {
          // Some drawn codes exist already (another batch of the same shape): insert the rest, redraw the gap.
          let draw = firstDraw;
          let idleRounds = 0;
          for (;;) {
            const added = await insertCodesSkippingExisting(client, batch.poolId, batch.id, draw);
            inserted += added;
            redraws += draw.size - added;
            if (inserted === input.size) break;
            idleRounds = added === 0 ? idleRounds + 1 : 0;
            if (idleRounds >= MAX_ROUNDS_WITHOUT_PROGRESS) {
              throw ApplicationFailure.nonRetryable('no free codes left in this keyspace', 'KeyspaceExhausted');
            }
            draw = generator.distinct(input.size - inserted);
          }
        }
        await recordChunk(client, input.batchId, input.chunkIndex, inserted, redraws);
        faults.beforeCommit?.(input, attempt);
        return { inserted, alreadyDone: false };
      });
      faults.afterCommit?.(input, attempt);
      return result;
    },
  };
}

export type CodeGenerationActivities = ReturnType<typeof createCodeGenerationActivities>;
