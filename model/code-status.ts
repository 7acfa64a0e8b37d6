/** Where a code is in its life (PRODUCT.md §1); the database enum `code_status` holds the same values. */
// `assigned`: given to one member by a distribution (§11); only that member may redeem it.
export const CODE_STATUSES = ['unused', 'reserved', 'assigned', 'redeemed', 'awarded', 'fulfilled', 'cancelled'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

export function isCodeStatus(value: string): value is CodeStatus {
  return (CODE_STATUSES as readonly string[]).includes(value);
}

/** What a code's history records: a change of status, or an attempt to redeem it. */
export const CODE_HISTORY_KINDS = ['status_change', 'redemption_attempt'] as const;
export type CodeHistoryKind = (typeof CODE_HISTORY_KINDS)[number];
