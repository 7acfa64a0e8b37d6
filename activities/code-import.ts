import { ApplicationFailure, Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { findBatch } from '../db/code-batches';
import { countRejectionsInRows, deleteStagedRows, insertRejections, readStagedRows, type ImportRejection } from '../db/code-imports';
import { batchesOfCodes, insertImportedCodes, type ImportedCode } from '../db/codes';
import { checkImportRow } from '../domain/import-row';
import { chunkedJobBookkeeping, runChunkOnce, type ChunkFaults, type ChunkWork } from './chunked-job';

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

/** Valid staged rows become unused codes of the pool; every other row goes to the row report. */
async function importRows(client: PoolClient, input: ImportCodeChunkInput): Promise<ChunkWork<ImportCodeChunkResult>> {
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
    const owners = await batchesOfCodes(
      client,
      refused.map((c) => c.code),
    );
    for (const c of refused) {
      rejections.push({ line: c.line, code: c.code, reason: owners.get(c.code) === batch.id ? 'duplicate_in_file' : 'already_exists' });
    }
  }
  await insertRejections(client, input.batchId, rejections);
  return { result: { imported: inserted.size, rejected: rejections.length }, inserted: inserted.size };
}

export function createCodeImportActivities(db: Database, faults: ChunkFaults = {}) {
  // Activity names are part of recorded workflow histories: keep them. The staged file is no longer needed
  // once every chunk has committed.
  const { markRunning: markImportRunning, finish: finishImport } = chunkedJobBookkeeping(db, (batchId) => deleteStagedRows(db, batchId));
  return {
    markImportRunning,
    finishImport,

    /**
     * Imports staged rows [fromRow, toRow) in one transaction with the chunk's row (runChunkOnce), codes and
     * row report together, so a retry redoes or skips the chunk whole.
     */
    async importCodeChunk(input: ImportCodeChunkInput): Promise<ImportCodeChunkResult> {
      return runChunkOnce(db, input, faults, {
        kind: 'import',
        work: (client) => importRows(client, input),
        alreadyDone: async (client, imported) => ({
          imported,
          rejected: await countRejectionsInRows(client, input.batchId, input.fromRow, input.toRow),
        }),
      });
    },
  };
}

export type CodeImportActivities = ReturnType<typeof createCodeImportActivities>;
