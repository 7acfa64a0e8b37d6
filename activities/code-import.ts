import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../db/database';
import { findBatch, markBatchFinished, markBatchRunning } from '../db/code-batches';
import { claimChunk, recordChunk } from '../db/code-batch-chunks';
import { countRejectionsInRows, deleteStagedRows, insertRejections, readStagedRows, type ImportRejection } from '../db/code-imports';
import { batchesOfCodes, insertImportedCodes, type ImportedCode } from '../db/codes';
import { checkImportRow } from '../domain/import-row';
import type { ChunkFaults } from './code-generation';

export interface ImportCodeChunkInput {
  batchId: string;
  chunkIndex: number;
  fromRow: number;
  toRow: number;
}

export interface ImportCodeChunkResult {
  imported: number;
  rejected: number;
}

export function createCodeImportActivities(db: Database, faults: ChunkFaults = {}) {
  return {
    async markImportRunning(batchId: string): Promise<void> {
      await markBatchRunning(db, batchId);
    },

    /** Ends the import; the staged file is no longer needed once every chunk has committed. */
    async finishImport(batchId: string, status: 'completed' | 'failed', error?: string): Promise<void> {
      if (status === 'completed') await deleteStagedRows(db, batchId);
      await markBatchFinished(db, batchId, status, error);
    },

    /**
     * Imports staged rows [fromRow, toRow): valid codes become unused codes of the pool, every other row goes to
     * the row report, all in one transaction with the chunk's marker row, so a retry redoes or skips it whole.
     */
    async importCodeChunk(input: ImportCodeChunkInput): Promise<ImportCodeChunkResult> {
      const attempt = Context.current().info.attempt;
      const result = await db.transaction(async (client) => {
        Context.current().heartbeat();
        const claim = await claimChunk(client, input.batchId, input.chunkIndex);
        if (!claim.claimed) {
          return { imported: claim.inserted, rejected: await countRejectionsInRows(client, input.batchId, input.fromRow, input.toRow) };
        }
        const batch = await findBatch(client, input.batchId);
        if (!batch) throw ApplicationFailure.nonRetryable(`code batch ${input.batchId} does not exist`, 'BatchNotFound');

        const rejections: ImportRejection[] = [];
        const candidates = new Map<string, ImportedCode & { line: number }>();
        for (const row of await readStagedRows(client, input.batchId, input.fromRow, input.toRow)) {
          const checked = row.problem ? ({ ok: false, reason: row.problem } as const) : checkImportRow(row.code, row.expiresAt);
          if (!checked.ok) rejections.push({ line: row.line, code: row.code, reason: checked.reason });
          else if (candidates.has(checked.code)) rejections.push({ line: row.line, code: checked.code, reason: 'duplicate_in_file' });
          else candidates.set(checked.code, { code: checked.code, expiresAt: checked.expiresAt, attributes: row.attributes, line: row.line });
        }

        Context.current().heartbeat();
        const inserted = await insertImportedCodes(client, batch.poolId, batch.id, [...candidates.values()]);
        const refused = [...candidates.values()].filter((c) => !inserted.has(c.code));
        if (refused.length > 0) {
          // An earlier chunk of this same file holds the code: a duplicate in the file, not a pre-existing code.
          const owners = await batchesOfCodes(client, refused.map((c) => c.code));
          for (const c of refused) {
            rejections.push({ line: c.line, code: c.code, reason: owners.get(c.code) === batch.id ? 'duplicate_in_file' : 'already_exists' });
          }
        }
        await insertRejections(client, input.batchId, rejections);
        await recordChunk(client, input.batchId, input.chunkIndex, inserted.size, 0);
        faults.beforeCommit?.(input, attempt);
        return { imported: inserted.size, rejected: rejections.length };
      });
      faults.afterCommit?.(input, attempt);
      return result;
    },
  };
}

export type CodeImportActivities = ReturnType<typeof createCodeImportActivities>;
