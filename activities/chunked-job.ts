import { Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { markBatchRunning } from '../db/code-batches';
import { finishJob } from './job-notifications';
import { claimChunk, recordChunk } from '../db/code-batch-chunks';
import { codesWritten } from '../observability/metrics';

/** Test seams: lets a test make a chunk fail around its commit, to prove retries double nothing. */
export interface ChunkFaults {
  beforeCommit?(input: { chunkIndex?: number; eventId?: string }, attempt: number): void;
  afterCommit?(input: { chunkIndex?: number; eventId?: string }, attempt: number): void;
}

export interface ChunkInput {
  batchId: string;
  chunkIndex: number;
}

/** What a chunk's work committed: its result, and the counts its code_batch_chunks row keeps. */
export interface ChunkWork<R> {
  result: R;
  inserted: number;
  redraws?: number;
}

/**
 * The bookkeeping of every chunked job over a code batch (generation, import): running, then completed or
 * failed (and announced). `onCompleted` runs before the batch is marked completed (e.g. dropping an import's staged rows).
 */
export function chunkedJobBookkeeping(db: Database, onCompleted?: (batchId: string) => Promise<void>) {
  return {
    async markRunning(batchId: string): Promise<void> {
      await markBatchRunning(db, batchId);
    },
    async finish(batchId: string, status: 'completed' | 'failed', error?: string): Promise<void> {
      if (status === 'completed') await onCompleted?.(batchId);
      // With its code_batch.* / code_import.* notification, in the same transaction.
      await finishJob(db, batchId, status, error);
    },
  };
}

/** Where a job keeps one row per committed chunk (code_batch_chunks for generation and import). */
export interface ChunkLedger<I> {
  claim(client: PoolClient, input: I): Promise<{ claimed: true } | { claimed: false; inserted: number }>;
  record(client: PoolClient, input: I, done: ChunkWork<unknown>): Promise<void>;
}

const batchChunks: ChunkLedger<ChunkInput> = {
  claim: (client, input) => claimChunk(client, input.batchId, input.chunkIndex),
  record: (client, input, done) => recordChunk(client, input.batchId, input.chunkIndex, done.inserted, done.redraws ?? 0),
};

/**
 * Runs one chunk exactly once. In one transaction: claims the chunk's row (code_batch_chunks unless the steps
 * name another ledger), does the work and records the chunk. Retried after a crash before the commit, it starts
 * over (nothing was written); retried after the commit, it finds the chunk row and answers with `alreadyDone`.
 */
export async function runChunkOnce<I extends { chunkIndex: number }, R>(
  db: Database,
  input: I,
  faults: ChunkFaults,
  steps: {
    /** What the chunk writes, for the codes-written metric (none: it writes no codes, e.g. a distribution). */
    kind?: 'generation' | 'import';
    work(client: PoolClient): Promise<ChunkWork<R>>;
    alreadyDone(client: PoolClient, inserted: number): Promise<R>;
    ledger?: ChunkLedger<I>;
  },
): Promise<R> {
  const { attempt } = Context.current().info;
  const ledger = steps.ledger ?? (batchChunks as unknown as ChunkLedger<I>);
  let written = 0;
  const result = await db.transaction(async (client) => {
    Context.current().heartbeat();
    const claim = await ledger.claim(client, input);
    if (!claim.claimed) return steps.alreadyDone(client, claim.inserted);
    const done = await steps.work(client);
    await ledger.record(client, input, done);
    faults.beforeCommit?.(input, attempt);
    written = done.inserted;
    return done.result;
  });
  if (steps.kind) codesWritten.inc({ kind: steps.kind }, written); // after the commit: a rolled-back chunk wrote nothing
  faults.afterCommit?.(input, attempt);
  return result;
}
