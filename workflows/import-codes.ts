import { defineQuery, setHandler } from '@temporalio/workflow';
import type { CodeImportActivities } from '../activities/code-import';
import { bookkeepingActivities, chunkActivities, runChunkedJob } from './chunked-job';

export interface ImportCodesInput {
  batchId: string;
  /** Data rows staged in code_import_rows (the file itself never enters history). */
  rows: number;
  chunkSize: number;
  parallelism: number;
}

export interface ImportProgress {
  rows: number;
  processed: number;
  imported: number;
  rejected: number;
  chunksDone: number;
  chunksTotal: number;
}

export const importProgressQuery = defineQuery<ImportProgress>('progress');

const bookkeeping = bookkeepingActivities<CodeImportActivities>();
const chunkActivity = (index: number) => chunkActivities<CodeImportActivities>(index, ['BatchNotFound']).importCodeChunk;

/** Imports a staged CSV chunk by chunk; each chunk commits its codes and its row report in one transaction. */
export async function importCodesWorkflow(input: ImportCodesInput): Promise<ImportProgress> {
  const chunksTotal = Math.ceil(input.rows / input.chunkSize);
  const progress: ImportProgress = { rows: input.rows, processed: 0, imported: 0, rejected: 0, chunksDone: 0, chunksTotal };
  setHandler(importProgressQuery, () => progress);

  await runChunkedJob({
    batchId: input.batchId,
    chunksTotal,
    parallelism: input.parallelism,
    markRunning: bookkeeping.markImportRunning,
    finish: bookkeeping.finishImport,
    runChunk: async (index) => {
      const fromRow = index * input.chunkSize;
      const toRow = Math.min(fromRow + input.chunkSize, input.rows);
      const result = await chunkActivity(index)({ batchId: input.batchId, chunkIndex: index, fromRow, toRow });
      progress.processed += toRow - fromRow;
      progress.imported += result.imported;
      progress.rejected += result.rejected;
      progress.chunksDone++;
    },
  });
  return progress;
}
