import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import {
  deleteStagedAudience,
  findDistribution,
  lockDistributionForChunk,
  markDistributionFinished,
  markDistributionRunning,
} from '../db/distributions';
import { assignCodes, claimDistributionChunk, lastAssignedCode, recordDistributionChunk } from '../db/distribution-assignments';
import { enqueueOutbox } from '../db/outbox';
import { runChunkOnce, type ChunkFaults, type ChunkLedger, type ChunkWork } from './chunked-job';

export interface DistributeChunkInput {
  distributionId: string;
  chunkIndex: number;
  fromRow: number;
  toRow: number;
}

export interface DistributeChunkResult {
  assigned: number;
}

/** Members assigned per statement inside a chunk. */
const ASSIGN_SLICE = 5000;

const distributionChunks: ChunkLedger<DistributeChunkInput> = {
  claim: (client, input) => claimDistributionChunk(client, input.distributionId, input.chunkIndex),
  record: (client, input, done) => recordDistributionChunk(client, input.distributionId, input.chunkIndex, done.inserted),
};

/** Every member of the chunk gets one code, or the chunk changes nothing (the pool ran short: a final failure). */
async function assignChunk(client: PoolClient, input: DistributeChunkInput): Promise<ChunkWork<DistributeChunkResult>> {
  const distribution = await lockDistributionForChunk(client, input.distributionId);
  if (!distribution) {
    throw ApplicationFailure.nonRetryable(`distribution ${input.distributionId} does not exist`, 'DistributionNotFound');
  }
  if (distribution.status === 'cancelled') {
    throw ApplicationFailure.nonRetryable('the distribution was cancelled', 'DistributionCancelled');
  }
  const wanted = input.toRow - input.fromRow;
  const range = { ...input, poolId: distribution.poolId, expiresAt: distribution.expiresAt };
  let assigned = 0;
  // In slices, all in the chunk's one transaction: a heartbeat between slices keeps a long chunk on a busy
  // machine from being taken for a dead one (and retried while it is still running).
  for (let from = input.fromRow; from < input.toRow; from += ASSIGN_SLICE) {
    Context.current().heartbeat();
    const slice = { ...range, fromRow: from, toRow: Math.min(from + ASSIGN_SLICE, input.toRow) };
    assigned += await assignCodes(client, { ...slice, after: await lastAssignedCode(client, input.distributionId) });
  }
  // Codes below the last one assigned may still be free (an aborted chunk's, older ones): look there too.
  if (assigned < wanted) assigned += await assignCodes(client, { ...range, after: null });
  if (assigned < wanted) {
    throw ApplicationFailure.nonRetryable(
      `the pool has too few unused codes: ${assigned} for ${wanted} members in chunk ${input.chunkIndex}; add codes and reset the workflow`,
      'NotEnoughCodes',
    );
  }
  return { result: { assigned }, inserted: assigned };
}

/**
 * Finishes a distribution and, in the same transaction, writes its distribution.completed / .failed notification
 * (once: a retried call finds the row finished). A completed one no longer needs its staged audience.
 */
async function finishDistribution(db: Database, id: string, status: 'completed' | 'failed', error?: string): Promise<void> {
  await db.transaction(async (client) => {
    if (!(await markDistributionFinished(client, id, status, error))) return;
    if (status === 'completed') await deleteStagedAudience(client, id);
    const d = (await findDistribution(client, id))!;
    await enqueueOutbox(client, status === 'completed' ? 'distribution.completed' : 'distribution.failed', {
      version: 1,
      distributionId: id,
      status,
      pool: { type: d.poolKind, id: d.poolOwnerId },
      members: d.members,
      assigned: d.assigned,
      expiresAt: d.expiresAt?.toISOString() ?? null,
      error: d.error,
      finishedAt: d.finishedAt?.toISOString() ?? null,
    });
  });
}

export function createDistributionActivities(db: Database, faults: ChunkFaults = {}) {
  // Activity names are part of recorded workflow histories: keep them.
  return {
    async markDistributionRunning(id: string): Promise<void> {
      await markDistributionRunning(db, id);
    },
    async finishDistribution(id: string, status: 'completed' | 'failed', error?: string): Promise<void> {
      await finishDistribution(db, id, status, error);
    },

    /** Assigns codes to the staged members [fromRow, toRow) in one transaction with the chunk's row (runChunkOnce). */
    async distributeCodeChunk(input: DistributeChunkInput): Promise<DistributeChunkResult> {
      return runChunkOnce(db, input, faults, {
        work: (client) => assignChunk(client, input),
        alreadyDone: async (_client, assigned) => ({ assigned }),
        ledger: distributionChunks,
      });
    },
  };
}

export type DistributionActivities = ReturnType<typeof createDistributionActivities>;
