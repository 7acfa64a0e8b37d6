import { z } from './zod';
import { ownerId } from './ids';

export const eligibilityGroup = z
  .object({
    name: z.string().min(1).max(100).optional(),
    conditions: z.unknown().openapi({
      description: 'json-rules-engine conditions over the member fact ($.tier, $.segments, $.tags, $.enrolledAt, $.attributes.x); operators include between, containsAllOf, containsAnyOf',
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
    confirmationHtml: z.string().max(20_000).optional().openapi({ description: 'Stored as given, never rendered or executed by the server' }),
    postConfirmationHtml: z.string().max(20_000).optional(),
    imageUrl: z.string().url().max(2000).optional(),
    shownToGuests: z.boolean().default(false),
    displayOrder: z.number().int().min(0).max(1_000_000).default(0),
    eligibility: z.array(eligibilityGroup).max(50).default([]).openapi({ description: 'A member is eligible when all conditions of any one group hold; no groups: everyone' }),
    transactionAttributes: z.array(transactionAttribute).max(50).default([]),
  })
  .strict()
  .openapi('RewardInput');

export type RewardInput = z.infer<typeof rewardInput>;
