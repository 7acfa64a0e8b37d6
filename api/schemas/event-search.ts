import { z } from '../../model/zod';
import { cursorParam, nextCursorField } from '../cursor';
import { redemptionOutcome } from './event';

const instant = z.string().datetime({ offset: true }).openapi({ example: '2026-11-01T00:00:00Z' });

/** Picks one producer's event when two producers used the same event id (GET /v1/events/:id, a rollback). */
const producerId = z.string().min(1).max(140);
export const producerQuery = z
  .object({
    producer: producerId
      .optional()
      .openapi({ description: 'Whose event: needed only when several producers used this event id (else 409 event_id_ambiguous)' }),
  })
  .strict();

export const eventSearchQuery = z
  .object({
    eventId: z.string().min(1).max(128).optional(),
    producer: producerId
      .optional()
      .openapi({ description: 'The API key principal that posted the event (`producer:<hash>`, as shown on each event)' }),
    memberId: z.string().min(1).max(128).optional(),
    code: z.string().min(1).max(200).optional().openapi({ description: 'Case, spaces and dashes ignored' }),
    campaignId: z.string().min(1).max(128).optional(),
    from: instant.optional().openapi({ description: 'Recorded at or after' }),
    to: instant.optional().openapi({ description: 'Recorded before' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: cursorParam,
  })
  .strict();

export const eventRecordView = z
  .object({
    eventId: z.string(),
    producer: z.string().openapi({ description: 'The API key principal that posted it; event ids are unique per producer' }),
    memberId: z.string().nullable(),
    campaignId: z.string().nullable(),
    code: z.string().nullable().openapi({ description: 'The code the attempt was recorded against, when one was found' }),
    outcome: z.enum(['redeemed', 'rejected']),
    reason: z.string().nullable(),
    points: z.number(),
    rolledBackAt: z.string().nullable(),
    createdAt: z.string(),
    rulesVersion: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The campaign's rule version in force when it was decided (GET /v1/campaigns/{id}/rule-versions)" }),
    result: redemptionOutcome.openapi({ description: 'The outcome exactly as the producer got it (and gets again for the same event id)' }),
  })
  .openapi('EventRecord');

export const eventPage = z.object({ items: z.array(eventRecordView), nextCursor: nextCursorField }).openapi('EventPage');

export const eventDetailView = eventRecordView
  .extend({
    history: z
      .array(
        z.object({
          code: z.string(),
          kind: z.string(),
          outcome: z.string().nullable(),
          reason: z.string().nullable(),
          actor: z.string().nullable(),
          at: z.string(),
        }),
      )
      .openapi({ description: "The attempt in the code's history" }),
  })
  .openapi('EventDetail');
