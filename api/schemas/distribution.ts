import { z } from '../../model/zod';
import { DISTRIBUTION_STATUSES, memberFilter } from '../../model/distribution';
import { codeView } from './code';
import { poolView } from './common';

export const distributionIdParam = z.object({ id: z.string().uuid() });

export const distributionView = z
  .object({
    id: z.string().uuid(),
    status: z.enum(DISTRIBUTION_STATUSES),
    pool: poolView,
    audience: z.union([memberFilter, z.object({ type: z.literal('list') })]),
    members: z.number().int().openapi({ description: 'Registered members in the audience: each gets one code' }),
    skipped: z.number().int().openapi({ description: 'Lines of an uploaded list left out: unknown member ids and repeats' }),
    assigned: z.number().int().openapi({ description: 'Codes assigned so far (the progress)' }),
    expiresAt: z.string().datetime().nullable(),
    topUpBatchId: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The generation that topped the pool up first, if one was asked for' }),
    workflowId: z.string().openapi({ description: 'The Temporal workflow that assigns the codes (find it in the Temporal UI)' }),
    error: z.string().nullable(),
    returned: z.number().int().nullable().openapi({ description: 'Unredeemed codes a cancel returned to the pool' }),
    createdAt: z.string().datetime(),
    startedAt: z.string().datetime().nullable(),
    finishedAt: z.string().datetime().nullable(),
    cancelledAt: z.string().datetime().nullable(),
  })
  .openapi('Distribution');

export const memberCodesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const memberCodePage = z.object({ codes: z.array(codeView), nextCursor: z.string().nullable() }).openapi('MemberCodePage');
