import { z } from './zod';
import { startsWithRealDay } from './calendar-date';

const label = z.string().min(1).max(64);

/** What a member id may be (PUT /v1/members/:id); an uploaded member list skips anything else as unknown. */
export const MEMBER_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;
const labels = z.array(label).max(100).default([]);

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  // Year 0 is a calendar date to JavaScript but not to PostgreSQL (1 BC comes before 1 AD).
  .refine(startsWithRealDay, 'not a real date')
  .openapi({ format: 'date', example: '2026-03-01' });

export const memberAttributeValue = z.union([z.string(), z.number(), z.boolean()]).nullable();
const MAX_ATTRIBUTES = 50;

/** A member's profile as the loyalty platform sends it; the balance is the ledger's, never part of it. */
export const memberInput = z
  .object({
    tier: label.nullable().optional().openapi({ example: 'gold' }),
    segments: labels.openapi({ example: ['newsletter'] }),
    tags: labels,
    enrolledAt: calendarDate.nullable().optional(),
    attributes: z
      .record(memberAttributeValue)
      .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)
      .default({}),
  })
  .strict()
  .openapi('MemberInput', {
    description: 'The whole profile: a field left out is cleared (the balance is never touched)',
    example: { tier: 'gold', segments: ['coffee-lovers'], tags: ['cohortA'], enrolledAt: '2026-03-01' },
  });

export type MemberInputBody = z.infer<typeof memberInput>;

/** A stored member as rules and the redemption decision see it: the profile and the balance. */
export interface MemberProfile {
  id: string;
  tier: string | null;
  segments: string[];
  tags: string[];
  enrolledAt: string | null;
  attributes: Record<string, unknown>;
  balance: number;
}

export const POINT_TRANSACTION_KINDS = ['credit', 'debit'] as const;
export type PointTransactionKind = (typeof POINT_TRANSACTION_KINDS)[number];
