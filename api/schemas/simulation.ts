import { z } from '../../model/zod';
import { REDEMPTION_OUTCOMES, REDEMPTION_REJECTION_REASONS } from '../../model/redemption-rejection';
import { redemptionOutcome } from './event';

export const simulationView = redemptionOutcome
  .extend({
    simulated: z.literal(true),
    points: z.number().openapi({ description: 'Total points the effects would add' }),
  })
  .openapi('SimulationResult', { description: 'The answer POST /v1/events would give now (eventId is "simulation"); nothing was written' });

const tally = z
  .object({
    redeemed: z.number().int(),
    rejected: z.number().int(),
    byReason: z.record(z.enum(REDEMPTION_REJECTION_REASONS), z.number().int()),
    points: z.number(),
  })
  .openapi('ReplayTally');

const replayedOutcome = z.object({
  outcome: z.enum(REDEMPTION_OUTCOMES),
  reason: z.enum(REDEMPTION_REJECTION_REASONS).nullable(),
  points: z.number(),
});

export const replayView = z
  .object({
    events: z.number().int().openapi({ description: 'How many recorded events were re-decided' }),
    memberProfiles: z
      .literal('current')
      .openapi({ description: "Rules see each member's current profile (no snapshot is kept per event)" }),
    current: tally,
    draft: tally,
    budgetUsed: z
      .object({ current: z.number(), draft: z.number() })
      .openapi({ description: "What the events take from the campaign's budget, in its unit" }),
    changed: z
      .array(z.object({ eventId: z.string(), memberId: z.string(), current: replayedOutcome, draft: replayedOutcome }))
      .openapi({ description: 'The first 100 events whose outcome, reason or points differ' }),
  })
  .openapi('ReplayResult');
