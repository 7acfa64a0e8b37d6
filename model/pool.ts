import { z } from './zod';
import { OWNER_ID, ownerId } from './ids';

/** A code pool: the unassociated bank, or the pool of one campaign or one reward. */
export const POOL_KINDS = ['bank', 'campaign', 'reward'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

export const poolTarget = z
  .object({
    type: z.enum(['campaign', 'reward']),
    id: ownerId,
  })
  .strict()
  .openapi('PoolTarget', { description: "A campaign's or a reward's code pool. Omitted: the unassociated bank." });

/** Names a pool from the outside: a campaign's or a reward's by its id; no target means the bank. */
export type PoolTarget = z.infer<typeof poolTarget>;

/** The text form of a pool target, `campaign:<id>` or `reward:<id>` (query strings, the CLI). */
export const POOL_REFERENCE = new RegExp(`^(campaign|reward):${OWNER_ID.source.slice(1)}`);
export const POOL_REFERENCE_HINT = 'use campaign:<id> or reward:<id>';

/** The one reader of `campaign:<id>` / `reward:<id>`; null when the text is not one. */
export function parsePoolReference(value: string): PoolTarget | null {
  if (!POOL_REFERENCE.test(value)) return null;
  const separator = value.indexOf(':');
  return { type: value.slice(0, separator) as PoolTarget['type'], id: value.slice(separator + 1) };
}
