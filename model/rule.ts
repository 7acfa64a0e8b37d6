import { z } from './zod';
import { effect } from './effect';

/** One rule of a campaign: json-rules-engine conditions and the effects applied when they hold. */
export const campaignRule = z
  .object({
    name: z.string().min(1).max(100),
    // Checked by rules/validate-rules.ts (a 400 naming the spot); declared as what it accepts: an object.
    conditions: z.unknown().openapi({
      type: 'object',
      description:
        'json-rules-engine conditions: an object with `all`, `any` or `not` over the facts member, event and campaign; extra operators: between, containsAllOf, containsAnyOf. Checked when saved: unknown fact or operator, malformed value, more than 8 levels or 200 conditions are refused with 400 naming the spot',
      example: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] },
    }),
    effects: z.array(effect).min(1).max(10),
  })
  .strict()
  .openapi('CampaignRule');

export type CampaignRuleInput = z.infer<typeof campaignRule>;

/** For conditions_not_met: per rule, the condition that failed and the fact value it saw. */
export const failedCondition = z
  .object({
    rule: z.string(),
    fact: z.string(),
    path: z.string().optional(),
    operator: z.string(),
    value: z.unknown(),
    factValue: z.unknown(),
  })
  .openapi('FailedCondition');
