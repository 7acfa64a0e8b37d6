import { z } from './zod';
import { poolQueryValue } from './code-import';
import { CODE_STATUSES } from '../../domain/code-status';
import { isCalendarDate } from '../../rules/event-validation';

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'use an ISO 8601 date or date-time')
  // `Date` rolls 2026-02-30 over into March and takes year 0; PostgreSQL refuses both, so the day must exist.
  .refine((s) => !Number.isNaN(new Date(s).getTime()) && Number(s.slice(0, 4)) >= 1 && isCalendarDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))), 'not a real date')
  .openapi({ description: 'An ISO 8601 date or date-time whose day exists', example: '2026-11-01' });

/** The filters search and export share. */
export const codeFilters = z
  .object({
    pool: z.union([z.literal('bank'), poolQueryValue]).optional().openapi({ description: '`bank`, `campaign:<id>` or `reward:<id>`' }),
    status: z.enum(CODE_STATUSES).optional(),
    member: z.string().min(1).max(128).optional(),
    batch: z.string().uuid().optional().openapi({ description: 'A generation or import batch id' }),
    prefix: z.string().min(1).max(64).optional().openapi({ description: 'Codes starting with this (case, spaces and dashes ignored)' }),
    createdFrom: instant.optional(),
    createdTo: instant.optional(),
    redeemedFrom: instant.optional(),
    redeemedTo: instant.optional(),
  })
  .strict();

export type CodeFilters = z.infer<typeof codeFilters>;

export const codeSearchQuery = codeFilters
  .extend({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
  })
  .strict();
