import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { readCsvTable } from './csv-table';
import { csvLimits } from './code-imports';
import { applyStagedStatusRows, stageStatusRows, type StagedStatusRow } from '../db/code-status-imports';
import { IMPORTABLE_TRANSITIONS } from '../domain/code-status';
import { isCodeStatus, type CodeStatus } from '../model/code-status';
import { normalizeCode } from '../domain/normalize-code';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import { DomainError } from '../model/errors';

export interface StatusImportReport {
  rows: number;
  updated: number;
  /** Rows asking for the status the code already has: nothing to do, so re-running a file is harmless. */
  unchanged: number;
  rejected: number;
  /** The first REPORTED_REJECTIONS refused rows. */
  rejections: Array<{ line: number; code: string; reason: string }>;
}

const REPORTED_REJECTIONS = 1000;

const TRANSITIONS = Object.entries(IMPORTABLE_TRANSITIONS).flatMap(([to, froms]) =>
  (froms ?? []).map((from) => ({ from, to: to as CodeStatus })),
);

/**
 * Applies a CSV of `code,status[,reason]` in one transaction: each row moves its code only along the transitions
 * an import may make (domain/code-status.ts), and every other row is reported. The file is staged first (COPY
 * into a temporary table, memory bounded by the reader's batches) and then applied in one statement, so codes are
 * locked only for that statement, never while the upload streams in: a redemption of a code in the file is not
 * kept waiting by a slow upload. A deadlock between two concurrent imports rolls one back whole (409, retry it).
 */
export async function importCodeStatuses(ctx: AppContext, body: Readable, actor: string): Promise<StatusImportReport> {
  // Rows refused on their own text (no code, no status) are reported from here; the rest from the database.
  let rows = 0;
  let refusedHere = 0;
  const rejectedHere: StatusImportReport['rejections'] = [];

  const applied = await ctx.db.bulkTransaction(async (client) => {
    const { header, batches } = await readCsvTable(body, csvLimits(ctx.config), ['code', 'status']);
    const cell = (fields: string[], name: string) => (header.includes(name) ? (fields[header.indexOf(name)] ?? '') : '');
    async function* wellFormed(): AsyncGenerator<StagedStatusRow[]> {
      for await (const batch of batches) {
        rows += batch.length;
        const staged: StagedStatusRow[] = [];
        for (const { line, fields } of batch) {
          const raw = cell(fields, 'code');
          const code = normalizeCode(raw);
          const status = cell(fields, 'status').trim().toLowerCase();
          const problem = !code ? 'invalid_code' : !isCodeStatus(status) ? 'invalid_status' : null;
          if (problem) {
            refusedHere++;
            if (rejectedHere.length < REPORTED_REJECTIONS) rejectedHere.push({ line, code: raw, reason: problem });
          } else staged.push({ line, raw, code: code!, status: status as CodeStatus, reason: cell(fields, 'reason') || null });
        }
        yield staged;
      }
    }
    await stageStatusRows(client, wellFormed());
    // As for a code import: a file with a header and no rows is a mistake, not an empty success.
    if (rows === 0) throw new DomainError('invalid', 'empty_file', 'the CSV file has a header but no rows');
    const result = await applyStagedStatusRows(client, TRANSITIONS, actor, REPORTED_REJECTIONS);
    // A status import is no record of its own: its history row has a fresh id; each code's own change is in code history.
    await recordChange(client, {
      actor,
      entityType: 'code_status_import',
      entityId: randomUUID(),
      action: 'import',
      detail: { rows, updated: result.updated, unchanged: result.unchanged, rejected: result.rejected + refusedHere },
    });
    return result;
  });
  return {
    rows,
    updated: applied.updated,
    unchanged: applied.unchanged,
    rejected: applied.rejected + refusedHere,
    rejections: [...rejectedHere, ...applied.rejections].sort((a, b) => a.line - b.line).slice(0, REPORTED_REJECTIONS),
  };
}
