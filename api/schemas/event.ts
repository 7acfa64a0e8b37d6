import { z } from './zod';
import { errorResponse } from './common';

export const postEventRequest = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'use 1-128 letters, digits and _ . : -').openapi({ description: 'Unique per event: the same id twice is one redemption', example: 'pos-42-0001' }),
    name: z.string().min(1).max(64).openapi({ example: 'code_entered' }),
    memberId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'use 1-128 letters, digits and _ . : @ -'),
    attributes: z.record(z.unknown()).default({}).openapi({ description: "Checked against the event schema's typed attributes", example: { code: 'SUMMER-4F7K9QX2', store: 'paris-01' } }),
  })
  .strict()
  .openapi('PostEventRequest', { example: { id: 'pos-42-0001', name: 'code_entered', memberId: 'shop:10042', attributes: { code: 'SUMMER-4F7K9QX2', store: 'paris-01' } } });

export const redemptionOutcome = z
  .object({
    eventId: z.string(),
    outcome: z.enum(['redeemed', 'rejected']),
    reason: z
      .enum(['unknown_code', 'code_used', 'code_cancelled', 'wrong_campaign', 'campaign_inactive', 'not_started', 'ended', 'member_unknown',
        'not_visible', 'conditions_not_met', 'frequency_limit', 'budget_exhausted', 'too_many_attempts', 'mistyped_code'])
      .optional(),
    message: z.string().optional().openapi({ description: 'Words for the member when the reason needs them (mistyped_code: re-check the code)' }),
    campaignId: z.string().optional(),
    code: z.string().optional(),
    memberId: z.string(),
    effects: z.array(z.record(z.unknown())).optional(),
    failedConditions: z
      .array(z.object({ rule: z.string(), fact: z.string(), path: z.string().optional(), operator: z.string(), value: z.unknown(), factValue: z.unknown() }))
      .optional()
      .openapi({ description: 'For conditions_not_met: per rule, the condition that failed and the fact value it saw' }),
  })
  .openapi('RedemptionOutcome');

/** The 429 of POST /v1/events: the usual error shape, plus the event id (its outcome is stored under it). */
export const tooManyAttempts = errorResponse
  .extend({ eventId: z.string().openapi({ description: 'The event refused; posting it again answers the same' }) })
  .openapi('TooManyAttempts', { description: 'Error `too_many_attempts`: says nothing about the code' });
