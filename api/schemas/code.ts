import { z } from './zod';
import { poolView } from './common';

export const codeParam = z.object({
  code: z.string().openapi({ description: 'The code as typed: case, spaces and dashes are ignored', example: 'summer-4F7K-9QX2' }),
});

export const codeView = z
  .object({
    code: z.string(),
    status: z.enum(['unused', 'reserved', 'redeemed', 'awarded', 'fulfilled', 'cancelled']),
    pool: poolView,
    batchId: z.string().uuid().nullable(),
    memberId: z.string().nullable(),
    expiresAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    statusChangedAt: z.string().datetime().nullable(),
  })
  .openapi('Code');
