import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DomainError } from '../model/errors';
import { readCsvTable } from './csv-table';
import { findBatch, insertBatch, setBatchRequested, type CodeBatch } from '../db/code-batches';
import { resolvePool } from '../db/code-pools';
import type { PoolTarget } from '../model/pool';
import { stageImportRows } from '../db/code-imports';
import type { importCodesWorkflow } from '../workflows/import-codes';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import { finishJob } from '../activities/job-notifications';

/** Columns with a meaning; any other column is kept on the code as an attribute. */
const KNOWN_COLUMNS = ['code', 'expires_at'];

/**
 * Streams an uploaded CSV into the staging table and starts the import workflow. The staging happens in one
 * transaction: a file refused as a whole (no code column, broken quoting, too big) leaves nothing behind.
 */
export async function createCodeImport(
  ctx: AppContext,
  target: PoolTarget | undefined,
  body: Readable,
  createdBy: string,
): Promise<CodeBatch> {
  const { db, config } = ctx;
  const id = randomUUID();
  const workflowId = `import-codes-${id}`;
  // A bulk client: the COPY lasts as long as the upload takes to arrive.
  const rows = await db.bulkTransaction(async (client) => {
    const pool = await resolvePool(client, target);
    await insertBatch(client, { id, poolId: pool.id, source: 'import', requested: 1, spec: null, shape: null, workflowId, createdBy });
    const { header, batches } = await readCsvTable(body, csvLimits(config), ['code']);
    const [codeAt, expiresAt] = [header.indexOf('code'), header.indexOf('expires_at')];
    const extra = header.map((name, i) => [name, i] as const).filter(([name]) => !KNOWN_COLUMNS.includes(name));
    const count = await stageImportRows(
      client,
      id,
      (async function* () {
        for await (const batch of batches) {
          yield batch.map(({ line, fields }) => ({
            line,
            code: fields[codeAt] ?? null,
            expiresAt: expiresAt >= 0 ? (fields[expiresAt] ?? null) : null,
            attributes: extra.length ? Object.fromEntries(extra.map(([name, i]) => [name, fields[i] ?? ''])) : null,
            problem: fields.length === header.length ? null : 'wrong_column_count',
          }));
        }
      })(),
    );
    if (count === 0) throw new DomainError('invalid', 'empty_file', 'the CSV file has a header but no rows');
    await setBatchRequested(client, id, count);
    await recordChange(client, {
      actor: createdBy,
      entityType: 'code_import',
      entityId: id,
      action: 'import',
      after: { pool: target ?? null, rows: count },
    });
    return count;
  });
  try {
    await ctx.temporal.workflow.start<typeof importCodesWorkflow>('importCodesWorkflow', {
      taskQueue: config.taskQueues.bulk,
      workflowId,
      args: [{ batchId: id, rows, chunkSize: config.chunkSize, parallelism: config.chunkParallelism }],
    });
  } catch {
    await finishJob(db, id, 'failed', 'the import workflow could not be started');
    throw new DomainError('unavailable', 'workflow_unavailable', 'Temporal is unavailable; the import was not started, retry shortly');
  }
  return (await findBatch(db, id))!;
}

/** Limits of an uploaded CSV: the file size is configurable; a row over 4,096 characters or 64 columns is not a code list. */
export function csvLimits(config: AppContext['config']) {
  return { maxBytes: config.maxUploadBytes, maxColumns: 64, maxRecordBytes: 4096 };
}
