/**
 * The redemption decision, with no I/O: given what was read (the code, its campaign, the member, the counts) and
 * the rule verdict, says what happens to one event. `POST /v1/events`, the simulator and the what-if replay all
 * call it; the callers load, call, and write (or, for the simulator, write nothing).
 */

import { REDEMPTION_REJECTION_REASONS, type RejectionReason } from '../model/redemption-rejection';
import type { Frequency } from '../model/frequency';

export { REDEMPTION_REJECTION_REASONS, type RejectionReason };

// Failures that tell a guesser something about a code: these count toward the lockout.
export const GUESS_FAILURES: readonly RejectionReason[] = [
  'unknown_code',
  'mistyped_code',
  'code_used',
  'code_cancelled',
  'code_assigned_to_other',
  'wrong_campaign',
];

export type Visibility = { type: 'everyone' } | { type: 'segments'; segments: string[] } | { type: 'tiers'; tiers: string[] };
export type BudgetKind = 'points' | 'redemptions';
export type Effect = { type: 'add_points'; points: number } | { type: 'issue_coupon'; rewardId: string };
/** A campaign rule as the decision sees it (the conditions are the rule engine's business). */
export interface DecisionRule {
  name: string;
  conditions?: unknown;
  effects: Effect[];
}

export interface DecisionCode {
  code: string;
  status: string;
  /** The campaign whose pool holds the code; null for a reward pool or the bank. */
  campaignId: string | null;
  /** Past this instant the code is refused as `code_expired` (it stays unused); null: it never expires. */
  expiresAt: Date | null;
  /** The member a distribution assigned the code to (status `assigned`); null or absent otherwise. */
  memberId?: string | null;
}

export interface DecisionCampaign {
  id: string;
  status: string;
  triggerEvent: string;
  startsAt: Date | null;
  endsAt: Date | null;
  visibility: Visibility;
  /** The decision reads only the limit: the snapshot counts the member's redemptions in the current window. */
  frequency: Frequency | null;
  budgetKind: BudgetKind | null;
  budgetCap: number | null;
  budgetUsed: number;
}

export interface DecisionMember {
  tier: string | null;
  segments: string[];
}

export interface DecisionCounts {
  /** Guessing failures in the lockout window, of the member and of the API key. */
  memberFailures: number;
  keyFailures: number;
  /**
   * The API key's decided events in the window (any outcome). The snapshot stops counting once the number is large
   * enough to say the key's share of failures is below the lockout share, so it may be lower than the real count.
   */
  keyAttempts: number;
  /** The member's redemptions of this campaign in the current frequency period. */
  redemptionsInPeriod: number;
}

/**
 * A member is locked after `maxFailures` guessing failures in the window. An API key (one shop's backend posts for
 * thousands of customers) is locked only when its failures reach `keyMinFailures` AND at least `keyFailurePercent`
 * percent of its decided events in the window: an enumeration is stopped after a bounded number of failures, a
 * busy key with a normal share of typos never is.
 */
export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
  keyMinFailures: number;
  keyFailurePercent: number;
}

/** Whether the member or the API key is locked out, from the counts in the window. */
export function isLockedOut(counts: DecisionCounts, lockout: LockoutPolicy): boolean {
  if (counts.memberFailures >= lockout.maxFailures) return true;
  return counts.keyFailures >= lockout.keyMinFailures && counts.keyFailures * 100 >= lockout.keyFailurePercent * counts.keyAttempts;
}

/**
 * How many of the key's attempts the snapshot needs to count to decide `isLockedOut` exactly: past this many, the
 * failures are below the share whatever the rest; 0 while the failures are below the floor.
 */
export function keyAttemptsNeeded(keyFailures: number, lockout: LockoutPolicy): number {
  if (keyFailures < lockout.keyMinFailures) return 0;
  return Math.floor((keyFailures * 100) / lockout.keyFailurePercent) + 1;
}

export interface FailedCondition {
  rule: string;
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  factValue: unknown;
}

export type DecisionVerdict<R> = { passed: true; rule: R; index: number } | { passed: false; failed: FailedCondition[] };

export interface DecisionInput<R extends { effects: Effect[] }> {
  eventName: string;
  /** Null: no code in the event, or none by that name. Undefined: the code checks are skipped (simulator). */
  code: DecisionCode | null | undefined;
  campaign: DecisionCampaign | null;
  member: DecisionMember | null;
  /** The member the event is for: the one who may redeem a code assigned to them. */
  memberId?: string;
  now: Date;
  counts: DecisionCounts;
  lockout: LockoutPolicy;
  /** The rules' verdict for this member and event; only read once every check before it has passed. */
  verdict?: DecisionVerdict<R>;
  /**
   * No code with the entered text exists, and the text has a check-character family's shape and fails its check
   * (domain/code-family.ts isMistyped): refused as mistyped instead of unknown. A code that exists is never mistyped.
   */
  mistyped?: boolean;
}

export type Decision<R> =
  | { outcome: 'redeemed'; rule: R; ruleIndex: number; effects: Effect[]; points: number; budgetCost: number }
  | { outcome: 'rejected'; reason: RejectionReason; guessFailure: boolean; failedConditions?: FailedCondition[] };

/** Points a rule's effects add. */
export function pointsOf(effects: readonly Effect[]): number {
  return effects.reduce((sum, e) => sum + (e.type === 'add_points' ? e.points : 0), 0);
}

/** What one redemption takes from a campaign's budget; a rollback gives back exactly this. */
export function budgetCost(kind: BudgetKind | null, points: number): number {
  if (kind === null) return 0;
  return kind === 'points' ? points : 1;
}

export function isVisible(visibility: Visibility, member: DecisionMember): boolean {
  if (visibility.type === 'segments') return visibility.segments.some((s) => member.segments.includes(s));
  if (visibility.type === 'tiers') return member.tier !== null && visibility.tiers.includes(member.tier);
  return true;
}

const reject = (reason: RejectionReason, failedConditions?: FailedCondition[]): Decision<never> => ({
  outcome: 'rejected',
  reason,
  guessFailure: GUESS_FAILURES.includes(reason),
  ...(failedConditions ? { failedConditions } : {}),
});

/**
 * Every check that comes before the rules, in order; null when they all pass (the caller then evaluates the
 * rules, which costs CPU, and calls `decideRedemption` with the verdict).
 */
export function rejectionBeforeRules(input: DecisionInput<{ effects: Effect[] }>): Decision<never> | null {
  const { code, campaign, member, now, counts, lockout } = input;
  if (isLockedOut(counts, lockout)) return reject('too_many_attempts');
  if (code === null) return reject(input.mistyped ? 'mistyped_code' : 'unknown_code');
  if (!campaign || (code !== undefined && code.campaignId !== campaign.id) || campaign.triggerEvent !== input.eventName)
    return reject('wrong_campaign');
  if (code?.status === 'cancelled') return reject('code_cancelled');
  if (code?.status === 'assigned' && code.memberId !== input.memberId) return reject('code_assigned_to_other');
  if (code !== undefined && code.status !== 'unused' && code.status !== 'assigned') return reject('code_used');
  if (code?.expiresAt && code.expiresAt.getTime() <= now.getTime()) return reject('code_expired');
  // The lifecycle workflow's status first; the dates still decide between its timers (an event a millisecond
  // after endsAt is `ended` even before the workflow's timer has fired).
  if (campaign.status === 'ended') return reject('ended');
  if (campaign.status === 'scheduled') return reject('not_started');
  if (campaign.status !== 'active') return reject('campaign_inactive');
  if (campaign.startsAt && campaign.startsAt.getTime() > now.getTime()) return reject('not_started');
  if (campaign.endsAt && campaign.endsAt.getTime() <= now.getTime()) return reject('ended');
  if (!member) return reject('member_unknown');
  if (!isVisible(campaign.visibility, member)) return reject('not_visible');
  return null;
}

/** The whole decision: the checks before the rules, the verdict, the frequency limit, the budget. */
export function decideRedemption<R extends { effects: Effect[] }>(input: DecisionInput<R>): Decision<R> {
  const early = rejectionBeforeRules(input);
  if (early) return early;
  const campaign = input.campaign!;
  if (!input.verdict) throw new Error('decideRedemption: the rules must be evaluated once the checks before them pass');
  if (!input.verdict.passed) return reject('conditions_not_met', input.verdict.failed);
  if (campaign.frequency && input.counts.redemptionsInPeriod >= campaign.frequency.count) return reject('frequency_limit');
  const { rule, index } = input.verdict;
  const points = pointsOf(rule.effects);
  const cost = budgetCost(campaign.budgetKind, points);
  if (campaign.budgetKind && campaign.budgetCap !== null && campaign.budgetUsed + cost > campaign.budgetCap)
    return reject('budget_exhausted');
  return { outcome: 'redeemed', rule, ruleIndex: index, effects: rule.effects, points, budgetCost: cost };
}
