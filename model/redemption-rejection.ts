/** Why a code event was not redeemed, in the order the redemption checks them. */
export const REDEMPTION_REJECTION_REASONS = [
  'unknown_code',
  'code_used',
  'code_cancelled',
  // The code was given to another member by a distribution (§11): only that member may redeem it.
  'code_assigned_to_other',
  'wrong_campaign',
  'campaign_inactive',
  'not_started',
  'ended',
  'member_unknown',
  'not_visible',
  'conditions_not_met',
  'frequency_limit',
  'budget_exhausted',
  'too_many_attempts',
  // The entered code has a check-character family's shape but fails its check (domain/code-family.ts).
  'mistyped_code',
  // The code exists, is unused and belongs to the campaign, but its expires_at has passed (not a guess failure).
  'code_expired',
] as const;
export type RejectionReason = (typeof REDEMPTION_REJECTION_REASONS)[number];

export const REDEMPTION_OUTCOMES = ['redeemed', 'rejected'] as const;
export type RedemptionOutcomeKind = (typeof REDEMPTION_OUTCOMES)[number];
