import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { readCsvTable } from './csv-table';
import { csvLimits } from './code-imports';
import { recordStatusChange } from '../db/code-history';
import { lockCodeStatuses, setCodeStatus } from '../db/codes';
import { IMPORTABLE_TRANSITIONS } from '../domain/code-status';
import { isCodeStatus } from '../model/code-status';
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

interface Row {
  line: number;
  raw: string;
  code: string | null;
  status: string;
  reason: string | null;
}

/**
 * Applies a CSV of `code,status[,reason]` in one transaction: each row moves its code only along the transitions
 * an import may make (domain/code-status.ts), and every other row is reported. Rows are processed in the reader's batches so
 * memory stays bounded; within a batch codes are locked in code order. A deadlock between two concurrent
 * imports of overlapping files rolls one back whole (409, retry it).
 */
export async function importCodeStatuses(ctx: AppContext, body: Readable, actor: string): Promise<StatusImportReport> {
  const report: StatusImportReport = { rows: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [] };
  const reject = (row: Row, reason: string) => {
    report.rejected++;
    if (report.rejections.length < REPORTED_REJECTIONS) report.rejections.push({ line: row.line, code: row.raw, reason });
  };

  const apply = async (client: PoolClient, rows: Row[]) => {
    const current = await lockCodeStatuses(
      client,
      rows.flatMap((r) => (r.code ? [r.code] : [])),
    );
    for (const row of rows) {
      const from = row.code ? current.get(row.code) : undefined;
      if (!row.code) reject(row, 'invalid_code');
      else if (!isCodeStatus(row.status)) reject(row, 'invalid_status');
      else if (!from) reject(row, 'unknown_code');
      else if (from === row.status) report.unchanged++;
      else if (!IMPORTABLE_TRANSITIONS[row.status]?.includes(from)) reject(row, `transition_not_allowed: ${from} -> ${row.status}`);
      else {
        await setCodeStatus(client, row.code, row.status);
        await recordStatusChange(client, row.code, from, row.status, actor, row.reason);
        current.set(row.code, row.status);
        report.updated++;
      }
    }
  };

  await ctx.db.transaction(async (client) => {
    const { header, batches } = await readCsvTable(body, csvLimits(ctx.config), ['code', 'status']);
    const cell = (fields: string[], name: string) => (header.includes(name) ? (fields[header.indexOf(name)] ?? '') : '');
    for await (const batch of batches) {
      report.rows += batch.length;
      await apply(
        client,
        batch.map(({ line, fields }) => {
          const raw = cell(fields, 'code');
          return {
            line,
            raw,
            code: normalizeCode(raw),
            status: cell(fields, 'status').trim().toLowerCase(),
            reason: cell(fields, 'reason') || null,
          };
        }),
      );
    }
    // As for a code import: a file with a header and no rows is a mistake, not an empty success.
    if (report.rows === 0) throw new DomainError('invalid', 'empty_file', 'the CSV file has a header but no rows');
    const { rows, updated, unchanged, rejected } = report;
    // A status import is no record of its own: its history row has a fresh id; each code's own change is in code history.
    await recordChange(client, {
      actor,
      entityType: 'code_status_import',
      entityId: randomUUID(),
      action: 'import',
      detail: { rows, updated, unchanged, rejected },
    });
  });
  return report;
}
