import { z } from './zod';
import { isCalendarDate } from '../../rules/event-validation';

const label = z.string().min(1).max(64);
const labels = z.array(label).max(100).default([]);

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  // Year 0 is a calendar date to JavaScript but not to PostgreSQL (1 BC comes before 1 AD).
  .refine((s) => Number(s.slice(0, 4)) >= 1 && isCalendarDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))), 'not a real date')
  .openapi({ format: 'date', example: '2026-03-01' });

const attributeValue = z.union([z.string(), z.number(), z.boolean()]).nullable();
const MAX_ATTRIBUTES = 50;

export const memberInput = z
  .object({
    tier: label.nullable().optional().openapi({ example: 'gold' }),
    segments: labels.openapi({ example: ['newsletter'] }),
    tags: labels,
    enrolledAt: calendarDate.nullable().optional(),
    attributes: z
      .record(attributeValue)
      .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)
      .default({}),
  })
  .strict()
  .openapi('MemberInput', { description: 'The whole profile: a field left out is cleared (the balance is never touched)', example: { tier: 'gold', segments: ['coffee-lovers'], tags: ['cohortA'], enrolledAt: '2026-03-01' } });

export type MemberInputBody = z.infer<typeof memberInput>;

export const memberIdParam = z
  .object({
    id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:@-]+$/, 'use letters, digits and _ . : @ -').openapi({ example: 'shop:10042' }),
  })
  .strict();

export const memberView = z
  .object({
    id: z.string(),
    tier: z.string().nullable(),
    segments: z.array(z.string()),
    tags: z.array(z.string()),
    enrolledAt: z.string().nullable().openapi({ example: '2026-03-01' }),
    attributes: z.record(attributeValue),
    balance: z.number().int().openapi({ description: 'Points available' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Member');

export const transactionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(32).optional().openapi({ description: '`nextCursor` of the previous page' }),
  })
  .strict();

export const pointTransactionView = z
  .object({
    id: z.number().int(),
    kind: z.enum(['credit', 'debit']),
    points: z.number().int(),
    source: z.string(),
    reference: z.string().openapi({ description: 'Unique: an effect retried under the same reference is booked once' }),
    attributes: z.record(z.unknown()),
    createdAt: z.string().datetime(),
  })
  .openapi('PointTransaction');

export const transactionPage = z
  .object({ transactions: z.array(pointTransactionView), nextCursor: z.string().nullable() })
  .openapi('PointTransactionPage');
