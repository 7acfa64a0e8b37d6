import { z } from './zod';
import { campaignRule } from './rule';
import { RULE_VERSION_MAX } from './campaign';
import { memberInput, memberAttributeValue } from './member';

/** A member profile typed into the simulator instead of a stored member. */
export const simulatedMember = memberInput
  .extend({ balance: z.number().int().min(0).max(1_000_000_000_000).default(0) })
  .partial({ attributes: true })
  .openapi('SimulatedMember');

const draftRules = z
  .array(campaignRule)
  .min(1)
  .max(50)
  .openapi({ description: "A draft rule set, checked like a campaign's rules at save time" });

export const simulateRequest = z
  .object({
    memberId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: 'A stored member (its profile, balance and redemptions so far); or give `member`' }),
    member: simulatedMember.optional(),
    code: z.string().min(1).max(200).optional().openapi({ description: 'A code to check too; without one the code checks are skipped' }),
    attributes: z.record(memberAttributeValue).default({}).openapi({ description: 'Event attributes the rules see as `event.attributes`' }),
    rules: draftRules.optional().openapi({ description: "A draft rule set to try instead of the campaign's own" }),
  })
  .strict()
  .refine((b) => (b.memberId === undefined) !== (b.member === undefined), { message: 'give either memberId or member', path: ['memberId'] })
  .openapi('SimulateRequest', { example: { memberId: 'shop:10042', code: 'SUMMER-4F7K9QX2', attributes: { store: 'paris-01' } } });

export const replayRequest = z
  .object({
    rules: draftRules.optional(),
    rulesVersion: z
      .number()
      .int()
      .min(1)
      .max(RULE_VERSION_MAX)
      .optional()
      .openapi({ description: "Replay one of the campaign's saved rule sets (GET /v1/campaigns/{id}/rule-versions) instead of a draft" }),
    limit: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .refine((b) => (b.rules === undefined) !== (b.rulesVersion === undefined), {
    message: 'give either rules (a draft) or rulesVersion (a saved rule set)',
    path: ['rules'],
  })
  .openapi('ReplayRequest', {
    example: {
      rules: [
        {
          name: 'gold members',
          conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold'] }] },
          effects: [{ type: 'add_points', points: 200 }],
        },
      ],
      limit: 1000,
    },
  });

export type SimulateRequest = z.infer<typeof simulateRequest>;
export type ReplayRequest = z.infer<typeof replayRequest>;
