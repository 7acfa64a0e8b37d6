import { z } from './zod';
import { CODE_STATUSES } from './code-status';
import { POOL_REFERENCE, POOL_REFERENCE_HINT } from './pool';
import { startsWithRealDay } from './calendar-date';

/** `pool=campaign:<id>` or `pool=reward:<id>`; omitted: the unassociated bank. */
export const poolQueryValue = z.string().regex(POOL_REFERENCE, POOL_REFERENCE_HINT).openapi({ example: 'campaign:summer-2026' });

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'use an ISO 8601 date or date-time')
  // `Date` rolls 2026-02-30 over into March and takes year 0; PostgreSQL refuses both, so the day must exist.
  .refine((s) => !Number.isNaN(new Date(s).getTime()) && startsWithRealDay(s), 'not a real date')
  .openapi({ description: 'An ISO 8601 date or date-time whose day exists', example: '2026-11-01' });

/** The filters code search and export share. */
export const codeFilters = z
  .object({
    pool: z
      .union([z.literal('bank'), poolQueryValue])
      .optional()
      .openapi({ description: '`bank`, `campaign:<id>` or `reward:<id>`' }),
    status: z.enum(CODE_STATUSES).optional(),
    member: z.string().min(1).max(128).optional(),
    batch: z.string().uuid().optional().openapi({ description: 'A generation or import batch id' }),
    prefix: z.string().min(1).max(64).optional().openapi({ description: 'Codes starting with this (case, spaces and dashes ignored)' }),
    createdFrom: instant.optional(),
    createdTo: instant.optional(),
    redeemedFrom: instant.optional(),
    redeemedTo: instant.optional(),
    expired: z
      .enum(['true', 'false'])
      .optional()
      .openapi({ description: '`true`: only codes past their expires_at; `false`: only codes that have not expired (or never do)' }),
  })
  .strict();

export type CodeFilters = z.infer<typeof codeFilters>;
