import { z } from './zod';

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Stable machine-readable code', example: 'validation_failed' }),
      message: z.string().openapi({ example: 'quantity: Number must be greater than or equal to 1' }),
      field: z.string().optional().openapi({ description: 'The offending field, when there is one', example: 'quantity' }),
    }),
  })
  .openapi('Error');

export const poolTarget = z
  .object({
    type: z.enum(['campaign', 'reward']),
    id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : -'),
  })
  .strict()
  .openapi('PoolTarget', { description: "A campaign's or a reward's code pool. Omitted: the unassociated bank." });

export const poolView = z
  .object({
    type: z.enum(['bank', 'campaign', 'reward']),
    id: z.string().nullable().openapi({ description: 'Campaign or reward id; null for the bank' }),
  })
  .openapi('Pool');
