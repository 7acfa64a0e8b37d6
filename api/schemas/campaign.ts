import { z } from './zod';
import { createCodeBatchRequest } from './code-batch';
import { OWNER_ID, OWNER_ID_HINT } from './common';
import { isCalendarDate } from '../../rules/event-validation';

const id = z.string().regex(OWNER_ID, OWNER_ID_HINT);
// A date-time whose day exists (2026-02-30 is refused): what `format: date-time` promises.
const instant = z
  .string()
  .datetime({ offset: true })
  .refine((s) => Number(s.slice(0, 4)) >= 1 && isCalendarDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))), 'not a real date');

export const effect = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('add_points'), points: z.number().int().min(1).max(1_000_000_000) }).strict(),
    z.object({ type: z.literal('issue_coupon'), rewardId: id.openapi({ description: "Awards one code from this reward's pool (else the bank)" }) }).strict(),
  ])
  .openapi('Effect');

export const campaignRule = z
  .object({
    name: z.string().min(1).max(100),
    // Checked by rules/validate-rules.ts (a 400 naming the spot); declared as what it accepts: an object.
    conditions: z.unknown().openapi({
      type: 'object',
      description: 'json-rules-engine conditions: an object with `all`, `any` or `not` over the facts member, event and campaign; extra operators: between, containsAllOf, containsAnyOf. Checked when saved: unknown fact or operator, malformed value, more than 8 levels or 200 conditions are refused with 400 naming the spot',
      example: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] },
    }),
    effects: z.array(effect).min(1).max(10),
  })
  .strict()
  .openapi('CampaignRule');

const visibility = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('everyone') }).strict(),
    z.object({ type: z.literal('segments'), segments: z.array(z.string().min(1).max(64)).min(1).max(100) }).strict(),
    z.object({ type: z.literal('tiers'), tiers: z.array(z.string().min(1).max(64)).min(1).max(100) }).strict(),
  ])
  .openapi('Visibility');

const campaignFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  translations: z
    .record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag such as fr or pt-BR'), z.object({ name: z.string().max(200).optional(), description: z.string().max(5000).optional() }).strict())
    .default({}),
  startsAt: instant.optional().openapi({ example: '2026-12-01T00:00:00Z' }),
  endsAt: instant.optional().openapi({ description: 'After startsAt', example: '2027-01-01T00:00:00Z' }),
  displayOrder: z.number().int().min(0).max(1_000_000).default(0),
  visibility: visibility.default({ type: 'everyone' }),
  status: z.enum(['draft', 'active', 'inactive']).default('draft').openapi({ description: 'Only active campaigns redeem codes' }),
  trigger: z
    .object({ event: z.string().min(1).max(64), codeAttribute: z.string().min(1).max(64) })
    .strict()
    .openapi({ description: 'The custom event that carries a code, and which of its attributes holds it' }),
  rules: z.array(campaignRule).min(1).max(50).openapi({ description: 'Evaluated in order; the first rule whose conditions hold applies its effects' }),
  frequency: z
    .object({ count: z.number().int().min(1).max(1_000_000), period: z.enum(['day', 'week', 'month', 'year', 'lifetime']) })
    .strict()
    .optional()
    .openapi({ description: 'Per member: at most `count` redemptions per calendar period (UTC)' }),
  budget: z
    .object({ kind: z.enum(['points', 'redemptions']), cap: z.number().int().min(1).max(1_000_000_000_000) })
    .strict()
    .optional(),
};

const endsAfterStart = (c: { startsAt?: string; endsAt?: string }) => !c.startsAt || !c.endsAt || Date.parse(c.endsAt) > Date.parse(c.startsAt);
const dateRangeIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

export const createCampaignRequest = z
  .object({
    id,
    ...campaignFields,
    codes: z
      .object({ generate: createCodeBatchRequest.omit({ pool: true }) })
      .strict()
      .optional()
      .openapi({ description: "Generate the campaign's codes now (a generation job, as POST /v1/code-batches); more can be added or imported later" }),
  })
  .strict()
  .refine(endsAfterStart, dateRangeIssue)
  .openapi('CreateCampaignRequest', {
    example: {
      id: 'summer-2026', name: 'Summer 2026', startsAt: '2026-06-01T00:00:00Z', endsAt: '2027-09-01T00:00:00Z', status: 'active',
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [{ name: 'gold members', conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] }, effects: [{ type: 'add_points', points: 100 }] }],
      frequency: { count: 1, period: 'day' }, budget: { kind: 'points', cap: 1000000 },
      codes: { generate: { quantity: 1000, length: 10, charset: 'alphanumeric', excludeLookAlikes: true, checkCharacter: 'damm' } },
    },
  });

export const updateCampaignRequest = z
  .object(Object.fromEntries(Object.entries(campaignFields).map(([k, v]) => [k, (v as z.ZodTypeAny).optional()])) as {
    [K in keyof typeof campaignFields]: z.ZodOptional<(typeof campaignFields)[K]>;
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'send at least one field to change')
  .openapi('UpdateCampaignRequest', { minProperties: 1, example: { displayOrder: 1, description: 'Double points in June' } });

export type CreateCampaignRequest = z.infer<typeof createCampaignRequest>;
export type UpdateCampaignRequest = z.infer<typeof updateCampaignRequest>;
export type CampaignRuleInput = z.infer<typeof campaignRule>;

export const campaignIdParam = z.object({ id });
export const campaignView = z.object({ id: z.string(), ...campaignFields, codeBatchId: z.string().uuid().nullable().optional() }).openapi('Campaign');
export { endsAfterStart };
