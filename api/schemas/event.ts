import { z } from '../../model/zod';
import { REDEMPTION_OUTCOMES, REDEMPTION_REJECTION_REASONS } from '../../model/redemption-rejection';

export const redemptionOutcome = z
  .object({
    eventId: z.string(),
    outcome: z.enum(REDEMPTION_OUTCOMES),
    reason: z.enum(REDEMPTION_REJECTION_REASONS).optional(),
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
