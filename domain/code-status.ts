import type { CodeStatus } from '../model/code-status';

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
