import { z } from '../../model/zod';
import { REDEMPTION_OUTCOMES, REDEMPTION_REJECTION_REASONS } from '../../model/redemption-rejection';
import { failedCondition } from '../../model/rule';
import { errorResponse } from './common';

export const redemptionOutcome = z
  .object({
    eventId: z.string(),
    outcome: z.enum(REDEMPTION_OUTCOMES),
    reason: z.enum(REDEMPTION_REJECTION_REASONS).optional(),
    message: z
      .string()
      .optional()
      .openapi({ description: 'Words for the member when the reason needs them (mistyped_code: re-check the code)' }),
    campaignId: z.string().optional(),
    code: z.string().optional(),
    memberId: z.string(),
    effects: z.array(z.record(z.unknown())).optional(),
    failedConditions: z
      .array(failedCondition)
      .optional()
      .openapi({ description: 'For conditions_not_met: per rule, the condition that failed and the fact value it saw' }),
  })
  .openapi('RedemptionOutcome');

/** The 429 of POST /v1/events: the usual error shape, plus the event id (its outcome is stored under it). */
export const tooManyAttempts = errorResponse
  .extend({ eventId: z.string().openapi({ description: 'The event refused; posting it again answers the same' }) })
  .openapi('TooManyAttempts', { description: 'Error `too_many_attempts`: says nothing about the code' });
