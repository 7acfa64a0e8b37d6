import { z } from '../../model/zod';
import { BATCH_SOURCES, BATCH_STATUSES } from '../../model/batch-status';
import { CHECK_CHARACTER_KINDS } from '../../model/code-generation';
import { poolView } from './common';

export const codeBatchView = z
  .object({
    id: z.string().uuid(),
    source: z.enum(BATCH_SOURCES),
    status: z.enum(BATCH_STATUSES),
    requested: z.number().int(),
    generated: z.number().int().openapi({ description: 'Codes committed so far' }),
    pool: poolView,
    spec: z
      .object({
        alphabet: z.string(),
        length: z.number().int(),
        prefix: z.string(),
        suffix: z.string(),
        checkCharacter: z.enum(CHECK_CHARACTER_KINDS),
      })
      .nullable()
      .openapi({ description: 'How the codes are drawn; null for an import (its codes come from a file)' }),
    expiresAt: z.string().datetime().nullable().openapi({ description: 'When the generated codes expire; null: never' }),
    workflowId: z.string().openapi({ description: 'The Temporal workflow that fills the batch (find it in the Temporal UI)' }),
    error: z.string().nullable(),
    createdAt: z.string().datetime(),
    startedAt: z.string().datetime().nullable(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('CodeBatch');

export const batchIdParam = z.object({ id: z.string().uuid() });
