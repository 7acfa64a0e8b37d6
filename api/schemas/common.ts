import { z } from '../../model/zod';
import { POOL_KINDS } from '../../model/pool';

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Stable machine-readable code', example: 'validation_failed' }),
      message: z.string().openapi({ example: 'quantity: Number must be greater than or equal to 1' }),
      field: z.string().optional().openapi({ description: 'The offending field, when there is one', example: 'quantity' }),
    }),
  })
  .openapi('Error');

export const poolView = z
  .object({
    type: z.enum(POOL_KINDS),
    id: z.string().nullable().openapi({ description: 'Campaign or reward id; null for the bank' }),
  })
  .openapi('Pool');
