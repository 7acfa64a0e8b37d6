import { z } from './zod';
import { createCodeBatchRequest } from './code-batch';
import { OWNER_ID, OWNER_ID_HINT } from './common';
import { campaignAlerts, campaignStatus, campaignTopUp, requestedStatus } from '../../model/campaign-lifecycle';

const id = z.string().regex(OWNER_ID, OWNER_ID_HINT);
const instant = z.string().datetime({ offset: true }).openapi({ example: '2026-12-01T00:00:00Z' });

export const effect = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('add_points'), points: z.number().int().min(1).max(1_000_000_000) }).strict(),
    z.object({ type: z.literal('issue_coupon'), rewardId: id.openapi({ description: "Awards one code from this reward's pool (else the bank)" }) }).strict(),
  ])
  .openapi('Effect');

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
  startsAt: instant.optional(),
  endsAt: instant.optional(),
  displayOrder: z.number().int().min(0).max(1_000_000).default(0),
  visibility: visibility.default({ type: 'everyone' }),
  status: requestedStatus.default('draft').openapi({
    description: 'What you ask for: active = run on its dates (its workflow makes it scheduled, active, then ended), paused, ended (now, for good) or draft',
  }),
  alerts: campaignAlerts.default({ budgetThresholds: [80, 100] }).openapi({ description: 'When to send budget.threshold_reached and codes.running_low' }),
  topUp: campaignTopUp.optional(),
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
  .openapi('CreateCampaignRequest');

export const updateCampaignRequest = z
  .object(Object.fromEntries(Object.entries(campaignFields).map(([k, v]) => [k, (v as z.ZodTypeAny).optional()])) as {
    [K in keyof typeof campaignFields]: z.ZodOptional<(typeof campaignFields)[K]>;
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'send at least one field to change')
  .openapi('UpdateCampaignRequest');

export type CreateCampaignRequest = z.infer<typeof createCampaignRequest>;
export type UpdateCampaignRequest = z.infer<typeof updateCampaignRequest>;
export type CampaignRuleInput = z.infer<typeof campaignRule>;

export const campaignIdParam = z.object({ id });
export const campaignView = z
  .object({
    id: z.string(),
    ...campaignFields,
    status: campaignStatus.openapi({ description: "As the campaign's workflow decided it; only active campaigns redeem codes" }),
    finalStats: z.record(z.unknown()).nullable().openapi({ description: 'Stats stored when the campaign ended' }),
    codeBatchId: z.string().uuid().nullable().optional(),
  })
  .openapi('Campaign');
export { endsAfterStart };
