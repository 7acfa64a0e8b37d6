import { z } from './zod';

/** Which members a campaign shows to (and redeems for). */
export const visibility = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('everyone') }).strict(),
    z.object({ type: z.literal('segments'), segments: z.array(z.string().min(1).max(64)).min(1).max(100) }).strict(),
    z.object({ type: z.literal('tiers'), tiers: z.array(z.string().min(1).max(64)).min(1).max(100) }).strict(),
  ])
  .openapi('Visibility');

export type Visibility = z.infer<typeof visibility>;
