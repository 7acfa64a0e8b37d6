import type { PoolClient } from 'pg';
import type { Queryable } from './database';
import { copyRows } from './copy';
import type { ImportRejectionReason } from '../model/import-rejection';

export interface StagedRow {
  rowNumber: number;
  line: number;
  code: string | null;
  expiresAt: string | null;
  attributes: Record<string, string> | null;
  /** Refused while reading the file (e.g. wrong_column_count), before any check of its content. */
  problem: ImportRejectionReason | null;
}

export interface ImportRejection {
  line: number;
  code: string | null;
  reason: ImportRejectionReason;
}

/** Streams parsed CSV rows, batch by batch, into the staging table; returns how many there were. */
export async function stageImportRows(
  client: PoolClient,
  batchId: string,
  batches: AsyncIterable<Array<Omit<StagedRow, 'rowNumber'>>>,
): Promise<number> {
  let count = 0;
  async function* values() {
    for await (const batch of batches) {
      yield batch.map((row) => [
        batchId,
        count++,
        row.line,
        row.code,
        row.expiresAt,
        row.attributes && JSON.stringify(row.attributes),
        row.problem,
      ]);
    }
  }
  await copyRows(client, 'code_import_rows', ['batch_id', 'row_number', 'line', 'code', 'expires_at', 'attributes', 'problem'], values());
  return count;
}

export async function readStagedRows(db: Queryable, batchId: string, fromRow: number, toRow: number): Promise<StagedRow[]> {
  const { rows } = await db.query(
    `select row_number as "rowNumber", line, code, expires_at as "expiresAt", attributes, problem
       from code_import_rows where batch_id = $1 and row_number >= $2 and row_number < $3 order by row_number`,
    [batchId, fromRow, toRow],
  );
  return rows as StagedRow[];
}

export async function deleteStagedRows(db: Queryable, batchId: string): Promise<void> {
  await db.query(`delete from code_import_rows where batch_id = $1`, [batchId]);
}

export async function insertRejections(client: PoolClient, batchId: string, rejections: ImportRejection[]): Promise<void> {
  if (rejections.length === 0) return;
  await copyRows(
    client,
    'code_import_rejections',
    ['batch_id', 'line', 'code', 'reason'],
    [rejections.map((r) => [batchId, r.line, r.code, r.reason])],
  );
}

/** One page of an import's row report, in line order, after the line `afterLine`. */
export async function listRejections(db: Queryable, batchId: string, afterLine: number, limit: number): Promise<ImportRejection[]> {
  const { rows } = await db.query(
    `select line, code, reason from code_import_rejections where batch_id = $1 and line > $2::bigint order by line limit $3`,
    [batchId, afterLine, limit],
  );
  return rows as ImportRejection[];
}

/** Rows of the staged range [fromRow, toRow) the report refused: what a chunk committed earlier counted. */
export async function countRejectionsInRows(db: Queryable, batchId: string, fromRow: number, toRow: number): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from code_import_rejections r join code_import_rows s
       on s.batch_id = r.batch_id and s.line = r.line
      where r.batch_id = $1 and s.row_number >= $2 and s.row_number < $3`,
    [batchId, fromRow, toRow],
  );
  return rows[0].n as number;
}
