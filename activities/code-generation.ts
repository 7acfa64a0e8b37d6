import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { findBatch } from '../db/code-batches';
import { copyNewCodes, insertCodesSkippingExisting } from '../db/codes';
import { CodeGenerator } from '../domain/code-generator';
import { chunkedJobBookkeeping, runChunkOnce, type ChunkFaults, type ChunkWork } from './chunked-job';

export type { ChunkFaults };

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

// Redraw rounds without progress before a chunk gives up: only reachable when the keyspace is exhausted.
const MAX_ROUNDS_WITHOUT_PROGRESS = 20;

/** Draws and inserts exactly `size` new codes of the batch's shape, redrawing codes that exist already. */
async function generateInto(client: PoolClient, input: GenerateCodeChunkInput): Promise<ChunkWork<GenerateCodeChunkResult>> {
  const batch = await findBatch(client, input.batchId);
  if (!batch?.spec) throw ApplicationFailure.nonRetryable(`code batch ${input.batchId} is not a generation`, 'BatchNotFound');
  const generator = new CodeGenerator(batch.spec);
  const target = { poolId: batch.poolId, batchId: batch.id, expiresAt: batch.expiresAt };

  let inserted = 0;
  let redraws = 0;
  const firstDraw = generator.distinct(input.size);
  Context.current().heartbeat();
  if (await copyNewCodes(client, target, firstDraw)) {
    inserted = input.size;
  } else {
    // Some drawn codes exist already (another batch of the same shape): insert the rest, redraw the gap.
    let draw = firstDraw;
    let idleRounds = 0;
    for (;;) {
      const added = await insertCodesSkippingExisting(client, target, draw);
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
  return { result: { inserted, alreadyDone: false }, inserted, redraws };
}

export function createCodeGenerationActivities(db: Database, faults: ChunkFaults = {}) {
  // Activity names are part of recorded workflow histories: keep them.
  const { markRunning: markBatchRunning, finish: finishBatch } = chunkedJobBookkeeping(db);
  return {
    markBatchRunning,
    finishBatch,

    /**
     * Generates and inserts exactly `size` new codes in one transaction with the chunk's row (runChunkOnce):
     * a retry never doubles a chunk. Codes never leave the worker.
     */
    async generateCodeChunk(input: GenerateCodeChunkInput): Promise<GenerateCodeChunkResult> {
      return runChunkOnce(db, input, faults, {
        kind: 'generation',
        work: (client) => generateInto(client, input),
        alreadyDone: async (_client, inserted) => ({ inserted, alreadyDone: true }),
      });
    },
  };
}

export type CodeGenerationActivities = ReturnType<typeof createCodeGenerationActivities>;
