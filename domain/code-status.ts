export const CODE_STATUSES = ['unused', 'reserved', 'redeemed', 'awarded', 'fulfilled', 'cancelled'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

/** Statuses a code may still be cancelled from (§1): a redeemed code is rolled back instead, never cancelled. */
export const CANCELLABLE: readonly CodeStatus[] = ['unused', 'reserved'];

/**
 * Transitions an operator may apply in bulk with a status import. Redemption, award and reservation happen
 * through their own endpoints (they carry a member, points, budgets), so an import can only fulfil or cancel.
 */
export const IMPORTABLE_TRANSITIONS: Readonly<Partial<Record<CodeStatus, readonly CodeStatus[]>>> = {
  fulfilled: ['redeemed', 'awarded'],
  cancelled: CANCELLABLE,
};

export function isCodeStatus(value: string): value is CodeStatus {
  return (CODE_STATUSES as readonly string[]).includes(value);
}
