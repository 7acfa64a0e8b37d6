import { z } from './zod';
import { ownerId } from './ids';

/** What a campaign rule does when its conditions hold. */
export const effect = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('add_points'), points: z.number().int().min(1).max(1_000_000_000) }).strict(),
    z
      .object({
        type: z.literal('issue_coupon'),
        rewardId: ownerId.openapi({ description: "Awards one code from this reward's pool (else the bank)" }),
      })
      .strict(),
  ])
  .openapi('Effect');

export type Effect = z.infer<typeof effect>;
