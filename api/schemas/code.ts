import { z } from '../../model/zod';
import { nextCursorField } from '../cursor';
import { BATCH_SOURCES } from '../../model/batch-status';
import { CODE_HISTORY_KINDS, CODE_STATUSES } from '../../model/code-status';
import { poolView } from './common';

export const codeParam = z.object({
  code: z.string().openapi({ description: 'The code as typed: case, spaces and dashes are ignored', example: 'summer-4F7K-9QX2' }),
});

export const codeView = z
  .object({
    code: z.string(),
    status: z.enum(CODE_STATUSES),
    pool: poolView,
    batchId: z.string().uuid().nullable(),
    memberId: z.string().nullable(),
    expiresAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    statusChangedAt: z.string().datetime().nullable(),
    redeemedAt: z.string().datetime().nullable(),
    attributes: z.record(z.string()).nullable().openapi({ description: 'Extra columns of the CSV the code was imported from' }),
  })
  .openapi('Code');

export const codeDetailView = codeView
  .extend({
    origin: z
      .object({
        batchId: z.string().uuid(),
        source: z.enum(BATCH_SOURCES),
        createdBy: z.string().nullable().openapi({ description: 'Role and key fingerprint of the API key that made the batch' }),
        workflowId: z.string(),
        createdAt: z.string().datetime(),
      })
      .nullable(),
    history: z.array(
      z.object({
        kind: z.enum(CODE_HISTORY_KINDS),
        fromStatus: z.string().nullable(),
        toStatus: z.string().nullable(),
        eventId: z.string().nullable(),
        memberId: z.string().nullable(),
        outcome: z.string().nullable(),
        reason: z.string().nullable(),
        actor: z.string().nullable(),
        at: z.string().datetime(),
      }),
    ),
  })
  .openapi('CodeWithHistory');

export const codePage = z.object({ codes: z.array(codeView), nextCursor: nextCursorField }).openapi('CodePage');

export const cancelRequest = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi('CancelRequest', { example: { reason: 'printed by mistake' } });

export const statusImportReport = z
  .object({
    rows: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    rejections: z.array(z.object({ line: z.number().int(), code: z.string(), reason: z.string() })),
  })
  .openapi('StatusImportReport');
