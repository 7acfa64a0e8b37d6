import { z } from './zod';
import { poolTarget } from './pool';
import { BATCH_STATUSES } from './batch-status';

/** A distribution's life: a job like a generation or an import (pending → running → completed/failed), or cancelled. */
export const DISTRIBUTION_STATUSES = BATCH_STATUSES;
export type DistributionStatus = (typeof DISTRIBUTION_STATUSES)[number];

const label = z.string().min(1).max(64);

/** Members chosen by their profile: every condition given must hold (tier equal, all segments, all tags). */
export const memberFilter = z
  .object({
    type: z.literal('filter'),
    tier: label.optional().openapi({ example: 'gold' }),
    segments: z.array(label).max(100).default([]),
    tags: z.array(label).max(100).default([]),
  })
  .strict()
  .openapi('MemberFilter', { description: 'Registered members matching every condition given; no condition: every member' });
export type MemberFilter = z.infer<typeof memberFilter>;

/** How the audience was chosen, as stored and shown: a filter, or an uploaded list (`text/csv`, header `member_id`). */
export type DistributionAudience = MemberFilter | { type: 'list' };

const distributionOptions = {
  id: z
    .string()
    .uuid()
    .optional()
    .openapi({ description: "The distribution's id, chosen by the caller to make a retry safe: the same id twice is one distribution" }),
  pool: poolTarget,
  expiresAt: z.string().datetime({ offset: true }).optional().openapi({ description: 'The assigned codes expire at this time' }),
  topUp: z
    .boolean()
    .default(false)
    .openapi({ description: "When the pool has too few unused codes, generate the shortfall first (like the pool's latest generation)" }),
};

/** `POST /v1/distributions` with a JSON body: the audience is a filter over members. */
export const distributionInput = z
  .object({ ...distributionOptions, audience: memberFilter })
  .strict()
  .openapi('DistributionInput', {
    example: { pool: { type: 'campaign', id: 'summer-2026' }, audience: { type: 'filter', tier: 'gold', segments: [], tags: [] } },
  });
export type DistributionInput = z.infer<typeof distributionInput>;

const boolText = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `POST /v1/distributions` with a `text/csv` body (the member list): the options travel in the query string. */
export const distributionListQuery = z
  .object({
    id: distributionOptions.id,
    pool: z.string().openapi({ description: 'campaign:<id> or reward:<id>' }),
    expiresAt: distributionOptions.expiresAt,
    topUp: boolText.default('false').openapi({ description: distributionOptions.topUp.description }),
  })
  .strict();

/** What a distribution request asks for, whichever way its audience came. */
export interface DistributionRequest {
  id?: string;
  pool: z.infer<typeof poolTarget>;
  expiresAt?: string;
  topUp: boolean;
}

/** `POST /v1/distributions/:id/cancel` takes no options (an empty object, or no body). */
export const distributionCancelRequest = z.object({}).strict().openapi('DistributionCancelRequest', { example: {} });

/**
 * Whether a top-up could cover a pool's shortfall, as a create with `topUp` would answer: not needed, available,
 * or the create's refusal (the pool was never generated; the shortfall is above the cap or the keyspace).
 */
export const TOP_UP_OUTLOOKS = ['not_needed', 'available', 'no_generation_to_top_up', 'top_up_refused'] as const;
export type TopUpOutlook = (typeof TOP_UP_OUTLOOKS)[number];

/** `POST /v1/distributions/preview` with a JSON body: the pool and the audience filter, nothing started. */
export const distributionPreviewInput = z
  .object({ pool: poolTarget, audience: memberFilter })
  .strict()
  .openapi('DistributionPreviewInput', {
    example: { pool: { type: 'campaign', id: 'summer-2026' }, audience: { type: 'filter', tier: 'gold', segments: [], tags: [] } },
  });

/** The member list's preview: the pool travels in the query string, as for the create. */
export const distributionPreviewListQuery = distributionListQuery.pick({ pool: true });

/** What a distribution of this audience from this pool would find now. */
export const distributionPreview = z
  .object({
    members: z.number().int().openapi({ description: 'Registered members in the audience: each would get one code' }),
    skipped: z.number().int().openapi({ description: 'Lines of an uploaded list that would be left out: unknown member ids and repeats' }),
    unusedCodes: z.number().int().openapi({ description: 'Unused codes in the pool now' }),
    shortfall: z
      .number()
      .int()
      .openapi({ description: 'Members beyond the unused codes: a create without `topUp` is refused when above 0' }),
    topUp: z.enum(TOP_UP_OUTLOOKS).openapi({ description: 'Whether `topUp: true` could generate the shortfall' }),
  })
  .openapi('DistributionPreview', { example: { members: 120, skipped: 0, unusedCodes: 100, shortfall: 20, topUp: 'available' } });
export type DistributionPreview = z.infer<typeof distributionPreview>;
