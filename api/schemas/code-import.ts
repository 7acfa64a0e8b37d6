import { z } from './zod';
import { OWNER_ID, poolView } from './common';

/** `pool=campaign:<id>` or `pool=reward:<id>`; omitted: the unassociated bank. */
export const poolQueryValue = z
  .string()
  .regex(new RegExp(`^(campaign|reward):${OWNER_ID.source.slice(1)}`), 'use campaign:<id> or reward:<id>')
  .openapi({ example: 'campaign:summer-2026' });

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
    status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']),
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
        reason: z.enum(['empty', 'bad_characters', 'too_long', 'bad_expires_at', 'duplicate_in_file', 'already_exists', 'wrong_column_count']),
      }),
    ),
    nextAfter: z.number().int().nullable().openapi({ description: 'Pass as `after` for the next page of refused rows; null at the end' }),
  })
  .openapi('CodeImport');
