import { z } from './zod';

/**
 * Ids of the things a code pool belongs to (campaigns, rewards). One pattern everywhere a pool is named, so a
 * reward id such as "$5_OFF" is also a valid `pool=reward:$5_OFF`.
 */
export const OWNER_ID = /^[A-Za-z0-9_.:$%-]{1,128}$/;
export const OWNER_ID_HINT = 'use 1-128 letters, digits and _ . : $ % -';

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
    id: z.string().regex(OWNER_ID, OWNER_ID_HINT),
  })
  .strict()
  .openapi('PoolTarget', { description: "A campaign's or a reward's code pool. Omitted: the unassociated bank." });

export const poolView = z
  .object({
    type: z.enum(['bank', 'campaign', 'reward']),
    id: z.string().nullable().openapi({ description: 'Campaign or reward id; null for the bank' }),
  })
  .openapi('Pool');
