import { z } from './zod';
import { effect } from './effect';

/** One rule of a campaign: json-rules-engine conditions and the effects applied when they hold. */
export const campaignRule = z
  .object({
    name: z.string().min(1).max(100),
    conditions: z.unknown().openapi({
      description: 'json-rules-engine conditions (all/any/not) over the facts member, event and campaign; extra operators: between, containsAllOf, containsAnyOf',
      example: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] },
    }),
    effects: z.array(effect).min(1).max(10),
  })
  .strict()
  .openapi('CampaignRule');

export type CampaignRuleInput = z.infer<typeof campaignRule>;
