import { z } from '../../model/zod';
import { cursorParam, nextCursorField } from '../cursor';
import { MEMBER_ID, memberAttributeValue, POINT_TRANSACTION_KINDS } from '../../model/member';

export const memberIdParam = z
  .object({
    id: z.string().min(1).max(128).regex(MEMBER_ID, 'use letters, digits and _ . : @ -').openapi({ example: 'shop:10042' }),
  })
  .strict();

export const memberView = z
  .object({
    id: z.string(),
    tier: z.string().nullable(),
    segments: z.array(z.string()),
    tags: z.array(z.string()),
    enrolledAt: z.string().nullable().openapi({ example: '2026-03-01' }),
    attributes: z.record(memberAttributeValue),
    balance: z.number().int().openapi({ description: 'Points available' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Member');

export const transactionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: cursorParam,
  })
  .strict();

export const pointTransactionView = z
  .object({
    id: z.number().int(),
    kind: z.enum(POINT_TRANSACTION_KINDS),
    points: z.number().int(),
    source: z.string(),
    reference: z.string().openapi({ description: 'Unique: an effect retried under the same reference is booked once' }),
    attributes: z.record(z.unknown()),
    createdAt: z.string().datetime(),
  })
  .openapi('PointTransaction');

export const transactionPage = z
  .object({ transactions: z.array(pointTransactionView), nextCursor: nextCursorField })
  .openapi('PointTransactionPage');
