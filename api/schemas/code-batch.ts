import { z } from './zod';
import { poolTarget, poolView } from './common';

export const createCodeBatchRequest = z
  .object({
    quantity: z.number().int().min(1).openapi({ description: 'Codes to generate (at most CODE_BATCH_MAX_QUANTITY, 1,000,000 by default)', example: 10000 }),
    length: z.number().int().min(1).max(64).openapi({ description: 'Random characters per code; prefix, suffix and check character come on top', example: 10 }),
    charset: z.enum(['numeric', 'alpha', 'alphanumeric', 'custom']),
    alphabet: z.string().min(2).max(36).optional().openapi({ description: 'Only with charset "custom" (required there, refused with any other charset): the characters to draw from (A-Z, 0-9, no repeats, case ignored)', example: 'ACDEFHJKMNPRTWXY34679' }),
    prefix: z.string().max(32).optional().openapi({ example: 'SUMMER-' }),
    suffix: z.string().max(32).optional(),
    excludeLookAlikes: z.boolean().default(false).openapi({ description: 'Drop 0, O, 1, I and L from the alphabet' }),
    checkCharacter: z.enum(['none', 'luhn', 'damm']).default('none').openapi({ description: 'Append a check character (Luhn mod N or Damm) so a mistyped code is refused before any lookup' }),
    pool: poolTarget.optional(),
  })
  .strict()
  .openapi('CreateCodeBatchRequest', {
    description: '`alphabet` is required with charset `custom` and refused with any other charset; `damm` is refused for alphabet sizes 2 mod 4 other than 10 (the answer says so)',
    example: { quantity: 1000, length: 8, charset: 'alphanumeric', prefix: 'SUMMER-', excludeLookAlikes: true, checkCharacter: 'damm', pool: { type: 'campaign', id: 'summer-2026' } },
  });

export type CreateCodeBatchRequest = z.infer<typeof createCodeBatchRequest>;

export const codeBatchView = z
  .object({
    id: z.string().uuid(),
    source: z.enum(['generation', 'import']),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']),
    requested: z.number().int(),
    generated: z.number().int().openapi({ description: 'Codes committed so far' }),
    pool: poolView,
    spec: z.object({
      alphabet: z.string(),
      length: z.number().int(),
      prefix: z.string(),
      suffix: z.string(),
      checkCharacter: z.enum(['none', 'luhn', 'damm']),
    }),
    workflowId: z.string().openapi({ description: 'The Temporal workflow that fills the batch (find it in the Temporal UI)' }),
    error: z.string().nullable(),
    createdAt: z.string().datetime(),
    startedAt: z.string().datetime().nullable(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('CodeBatch');

export const batchIdParam = z.object({ id: z.string().uuid() });
