import { z } from '../../model/zod';
import { cursorParam, nextCursorField } from '../cursor';
import { BATCH_STATUSES } from '../../model/batch-status';
import { poolQueryValue } from '../../model/code-filters';
import { IMPORT_REJECTION_REASONS } from '../../model/import-rejection';
import { poolView } from './common';

export const createCodeImportQuery = z.object({ pool: poolQueryValue.optional() }).strict();

export const codeImportReportQuery = z
  .object({
    cursor: cursorParam,
    after: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({
        description: 'Deprecated: refused rows after this line (took `nextAfter`), still accepted for this version; use `cursor`',
        param: { deprecated: true },
      }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const importIdParam = z.object({ id: z.string().uuid() });

export const codeImportView = z
  .object({
    id: z.string().uuid(),
    status: z.enum(BATCH_STATUSES),
    pool: poolView,
    rows: z.number().int().openapi({ description: 'Data rows in the file (header and blank lines excluded)' }),
    imported: z.number().int(),
    rejected: z.number().int(),
    workflowId: z.string(),
    error: z.string().nullable(),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
    rejections: z.array(
      z.object({
        line: z.number().int(),
        code: z.string().nullable(),
        reason: z.enum(IMPORT_REJECTION_REASONS),
      }),
    ),
    nextCursor: nextCursorField.openapi({ description: 'Pass as `cursor` for the next page of refused rows; null on the last page' }),
    nextAfter: z.number().int().nullable().openapi({
      description: 'Deprecated: the last line shown, for `after` (same page as `nextCursor`); use `nextCursor`',
      deprecated: true,
    }),
  })
  .openapi('CodeImport');
