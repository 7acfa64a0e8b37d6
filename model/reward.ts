import { z } from './zod';
import { ownerId } from './ids';
import { failedCondition } from './rule';

export const eligibilityGroup = z
  .object({
    name: z.string().min(1).max(100).optional(),
    conditions: z.unknown().openapi({
      type: 'object',
      description:
        'json-rules-engine conditions over the member fact ($.tier, $.segments, $.tags, $.enrolledAt, $.attributes.x); operators include between, containsAllOf, containsAnyOf',
      example: { all: [{ fact: 'member', path: '$.tags', operator: 'containsAllOf', value: ['cohortA'] }] },
    }),
  })
  .strict()
  .openapi('EligibilityGroup');

export const TRANSACTION_ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date'] as const;

export const transactionAttribute = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    name: z.string().min(1).max(100),
    type: z.enum(TRANSACTION_ATTRIBUTE_TYPES),
    mandatory: z.boolean().default(false),
  })
  .strict();

/** The native reward shape (the legacy seed shape goes through rules/legacy-reward.ts first). */
export const rewardInput = z
  .object({
    id: ownerId,
    name: z.string().min(1).max(200),
    active: z.boolean().default(true),
    type: z.string().min(1).max(64).openapi({ example: 'coupon_based_reward' }),
    subType: z.string().min(1).max(64).optional().openapi({ example: 'fixed_amount_discount' }),
    pointsCost: z.number().int().min(0).max(1_000_000_000),
    value: z.string().max(64).optional().openapi({ example: '$5' }),
    shortDescription: z.string().max(500).optional(),
    confirmationHtml: z
      .string()
      .max(20_000)
      .optional()
      .openapi({ description: 'Stored as given, never rendered or executed by the server' }),
    postConfirmationHtml: z.string().max(20_000).optional(),
    imageUrl: z.string().url().max(2000).optional(),
    shownToGuests: z.boolean().default(false),
    displayOrder: z.number().int().min(0).max(1_000_000).default(0),
    eligibility: z
      .array(eligibilityGroup)
      .max(50)
      .default([])
      .openapi({ description: 'A member is eligible when all conditions of any one group hold; no groups: everyone' }),
    transactionAttributes: z.array(transactionAttribute).max(50).default([]),
  })
  .strict()
  .openapi('RewardInput', {
    example: {
      id: 'coffee-5',
      name: '$5 off a coffee',
      type: 'coupon_based_reward',
      subType: 'fixed_amount_discount',
      pointsCost: 500,
      value: '$5',
      eligibility: [
        { name: 'cohort A', conditions: { all: [{ fact: 'member', path: '$.tags', operator: 'containsAllOf', value: ['cohortA'] }] } },
      ],
      transactionAttributes: [{ id: 'store', name: 'Store', type: 'text', mandatory: false }],
    },
  });

export type RewardInput = z.infer<typeof rewardInput>;

const isoInstant = z.string().openapi({ format: 'date-time' });

export const certificateCounts = z
  .object({ total: z.number().int(), unused: z.number().int(), issued: z.number().int(), redeemed: z.number().int() })
  .openapi('CertificateCounts', { description: "Counted from the reward's code pool" });

// A new object over the input's fields (not .extend: the input is strict, and its registered schema would come
// along as an allOf member refusing the extra fields).
export const rewardView = z
  .object({
    ...rewardInput.shape,
    certificates: certificateCounts,
    createdAt: isoInstant,
    updatedAt: isoInstant,
    ignoredFields: z
      .array(z.string())
      .optional()
      .openapi({ description: 'With ?format=legacy: derived vendor fields that were not taken' }),
  })
  .openapi('Reward');

export const rewardList = z.object({ rewards: z.array(rewardView) }).openapi('RewardList');

export const eligibleRewardsView = z
  .union([
    z.object({ memberId: z.string(), rewards: z.array(rewardView) }).strict(),
    z.object({ rewardId: z.string(), active: z.boolean(), eligible: z.boolean(), failedConditions: z.array(failedCondition) }).strict(),
  ])
  .openapi('EligibleRewards', { description: 'The eligible rewards; with ?explain=<reward id>, whether and why (not) for that reward' });

export const rewardRedemptionView = z
  .object({
    id: z.string().uuid(),
    rewardId: z.string(),
    kind: z.enum(['redemption', 'award', 'reservation']),
    status: z.enum(['reserved', 'redeemed', 'awarded', 'expired', 'rolled_back']),
    memberId: z.string().nullable(),
    code: z.string(),
    points: z.number(),
    attributes: z.record(z.unknown()),
    reservedUntil: isoInstant.nullable(),
    rollbackReason: z.string().nullable(),
    rolledBackAt: isoInstant.nullable(),
    reference: z.string().nullable().openapi({ description: "The client's reference it was made with, if any" }),
    createdAt: isoInstant,
  })
  .openapi('RewardRedemption');
