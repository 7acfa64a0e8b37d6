import { z } from './zod';
import { ownerId } from './ids';
import { codeGenerationInput } from './code-generation';
import { campaignRule } from './rule';
import { visibility } from './visibility';
import { frequency } from './frequency';
import { timeZone } from './time-zone';
import { budget } from './budget';
import { startsWithRealDay } from './calendar-date';

import { campaignAlerts, campaignStatus, campaignTopUp, requestedStatus } from './campaign-lifecycle';

// The statuses live with the lifecycle that decides them (model/campaign-lifecycle.ts).

/** A rule version number asked for (a path or a replay): 1 is the first; the cap keeps it inside PostgreSQL's integer. */
export const RULE_VERSION_MAX = 1_000_000_000;
export { CAMPAIGN_STATUSES, type CampaignStatus } from './campaign-lifecycle';

// A date-time whose day exists (2026-02-30 is refused): what `format: date-time` promises.
const instant = z.string().datetime({ offset: true }).refine(startsWithRealDay, 'not a real date');

/** Everything that defines a campaign, apart from its id. */
export const campaignFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  translations: z
    .record(
      z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag such as fr or pt-BR'),
      z.object({ name: z.string().max(200).optional(), description: z.string().max(5000).optional() }).strict(),
    )
    .default({}),
  startsAt: instant.optional().openapi({ example: '2026-12-01T00:00:00Z' }),
  endsAt: instant.optional().openapi({ description: 'After startsAt', example: '2027-01-01T00:00:00Z' }),
  displayOrder: z.number().int().min(0).max(1_000_000).default(0),
  visibility: visibility.default({ type: 'everyone' }),
  status: requestedStatus.default('draft').openapi({
    description:
      'What you ask for: active = run on its dates (its workflow makes it scheduled, active, then ended), paused, ended (now, for good) or draft',
  }),
  alerts: campaignAlerts
    .default({ budgetThresholds: [80, 100] })
    .openapi({ description: 'When to send budget.threshold_reached and codes.running_low' }),
  topUp: campaignTopUp.optional(),
  trigger: z
    .object({ event: z.string().min(1).max(64), codeAttribute: z.string().min(1).max(64) })
    .strict()
    .openapi({ description: 'The custom event that carries a code, and which of its attributes holds it' }),
  rules: z
    .array(campaignRule)
    .min(1)
    .max(50)
    .openapi({ description: 'Evaluated in order; the first rule whose conditions hold applies its effects' }),
  timeZone: timeZone.optional().openapi({
    description:
      "Where the campaign's days, weeks, months and years turn: frequency periods and the daily and hourly stats are counted in it. Default: the DEFAULT_TIME_ZONE setting, else UTC",
  }),
  frequency: frequency.optional().openapi({
    description:
      "Per member: at most `count` redemptions per calendar period in the campaign's time zone (`period`), or in any rolling window (`window`)",
  }),
  budget: budget.optional(),
};

export const endsAfterStart = (c: { startsAt?: string; endsAt?: string }) =>
  !c.startsAt || !c.endsAt || Date.parse(c.endsAt) > Date.parse(c.startsAt);
const dateRangeIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

/** A new campaign, optionally with a generation of its codes (as POST /v1/code-batches, into its own pool). */
export const newCampaign = z
  .object({
    id: ownerId,
    ...campaignFields,
    codes: z
      .object({ generate: codeGenerationInput.omit({ pool: true }) })
      .strict()
      .optional()
      .openapi({
        description: "Generate the campaign's codes now (a generation job, as POST /v1/code-batches); more can be added or imported later",
      }),
  })
  .strict()
  .refine(endsAfterStart, dateRangeIssue)
  .openapi('CreateCampaignRequest', {
    example: {
      id: 'summer-2026',
      name: 'Summer 2026',
      startsAt: '2026-06-01T00:00:00Z',
      endsAt: '2027-09-01T00:00:00Z',
      status: 'active',
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [
        {
          name: 'gold members',
          conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] },
          effects: [{ type: 'add_points', points: 100 }],
        },
      ],
      timeZone: 'Europe/Paris',
      frequency: { count: 1, period: 'day' },
      budget: { kind: 'points', cap: 1000000 },
      codes: { generate: { quantity: 1000, length: 10, charset: 'alphanumeric', excludeLookAlikes: true, checkCharacter: 'damm' } },
    },
  });

/** A change to a campaign: any of its fields, at least one. */
export const campaignPatch = z
  .object(
    Object.fromEntries(Object.entries(campaignFields).map(([k, v]) => [k, (v as z.ZodTypeAny).optional()])) as {
      [K in keyof typeof campaignFields]: z.ZodOptional<(typeof campaignFields)[K]>;
    },
  )
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'send at least one field to change')
  .openapi('UpdateCampaignRequest', { minProperties: 1, example: { displayOrder: 1, description: 'Double points in June' } });

/** A campaign as the API shows it: the status is the one stored in its row. */
export const campaignRecordView = {
  status: campaignStatus.openapi({
    description:
      'As stored: set by a create or PATCH when it answers, and at startsAt / endsAt by its workflow. Only active campaigns redeem codes',
  }),
  version: z.number().int().openapi({ description: 'Moves with every change (budget use aside); the ETag is this number in quotes' }),
  finalStats: z.record(z.unknown()).nullable().openapi({ description: 'Stats stored when the campaign ended' }),
  rulesVersion: z.number().int().openapi({
    description: 'The saved rule set in force (GET /v1/campaigns/{id}/rule-versions): moves when the rules change or a version is restored',
  }),
};

export type NewCampaign = z.infer<typeof newCampaign>;
export type CampaignPatch = z.infer<typeof campaignPatch>;
