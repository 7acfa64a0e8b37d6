import { z } from '../../model/zod';
import { BATCH_STATUSES } from '../../model/batch-status';
import { poolQueryValue } from '../../model/code-filters';
import { IMPORT_REJECTION_REASONS } from '../../model/import-rejection';
import { poolView } from './common';

export const createCodeImportQuery = z.object({ pool: poolQueryValue.optional() }).strict();

export const codeImportReportQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0).openapi({ description: 'Show refused rows after this line (from `nextAfter`)' }),
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
    nextAfter: z.number().int().nullable().openapi({ description: 'Pass as `after` for the next page of refused rows; null at the end' }),
  })
  .openapi('CodeImport');
