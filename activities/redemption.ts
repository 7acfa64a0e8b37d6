import { Context } from '@temporalio/activity';
import type { Database, Queryable } from '../db/database';
import { consumeBudget, findCampaign, triggerAttributesFor, type Campaign } from '../db/campaigns';
import { recordRedemptionAttempt } from '../db/code-history';
import { resolvePool } from '../db/code-pools';
import { assignCode, findCode, takeUnusedCode } from '../db/codes';
import { findMember, type Member } from '../db/members';
import { bookPoints } from '../db/points-ledger';
import { claimEvent, recentGuessFailures, recordOutcome, redemptionsInPeriod, type RedemptionOutcome, type RejectionReason } from '../db/redemption-events';
import { normalizeCode } from '../domain/normalize-code';
import { isMistyped, MISTYPED_CODE_MESSAGE, type CodeFamily } from '../domain/code-family';
import { cachedCodeFamilies } from '../db/code-families';
import { evaluateRules } from '../rules/evaluate';
import { ruleFacts } from '../rules/facts';
import type { ChunkFaults } from './code-generation';

/** A custom event as POST /v1/events accepted it (already checked against its schema). */
export interface CodeEvent {
  id: string;
  name: string;
  memberId: string;
  attributes: Record<string, string | number | boolean>;
  /** The producer's API key fingerprint: lockouts count per key too. */
  apiKey: string;
}

export interface LockoutPolicy {
  maxFailures: number;
  windowSeconds: number;
}

// Failures that tell a guesser something about a code: these count toward the lockout.
const GUESS_FAILURES: RejectionReason[] = ['unknown_code', 'mistyped_code', 'code_used', 'code_cancelled', 'wrong_campaign'];

function isVisible(campaign: Campaign, member: Member): boolean {
  const v = campaign.visibility;
  if (v.type === 'segments') return v.segments.some((s) => member.segments.includes(s));
  if (v.type === 'tiers') return member.tier !== null && v.tiers.includes(member.tier);
  return true;
}

/** Applies a winning rule's effects; every ledger entry is keyed by the event id, so it can't be booked twice. */
async function applyEffects(client: Queryable, event: CodeEvent, campaign: Campaign, effects: Campaign['rules'][number]['effects']) {
  const applied: Array<Record<string, unknown>> = [];
  for (const [i, effect] of effects.entries()) {
    if (effect.type === 'add_points') {
      const reference = `event:${event.id}:effect:${i}`;
      await bookPoints(client, { memberId: event.memberId, kind: 'credit', points: effect.points, source: `campaign:${campaign.id}`, reference, attributes: { eventId: event.id } });
      applied.push({ type: 'add_points', points: effect.points, reference });
    } else {
      const pool = await resolvePool(client, { type: 'reward', id: effect.rewardId });
      const taken = await takeUnusedCode(client, pool.id);
      if (taken) await assignCode(client, taken.code, 'awarded', event.memberId);
      applied.push({ type: 'issue_coupon', rewardId: effect.rewardId, code: taken?.code ?? null, ...(taken ? {} : { skipped: 'no_codes_left' }) });
    }
  }
  return applied;
}

/**
 * Decides and applies one redemption event in a single PostgreSQL transaction: the event claim, the lockout,
 * the code (row-locked), the campaign window, the member (row-locked: one member's redemptions run one at a
 * time, which keeps frequency limits exact), the rules, the budget (a conditional update that can't overshoot),
 * the effects and the stored outcome. Retried after a crash or a lost reply, it finds the event claimed and
 * returns the stored outcome; nothing is ever applied twice.
 */
export async function decideRedemption(client: Queryable, event: CodeEvent, lockout: LockoutPolicy, families: readonly CodeFamily[] = []): Promise<RedemptionOutcome> {
  const stored = await claimEvent(client, event.id, event.memberId);
  if (stored) return stored;

  let code: string | null = null;
  let campaign: Campaign | null = null;
  const finish = async (outcome: Omit<RedemptionOutcome, 'eventId' | 'memberId'>, points = 0) => {
    const full: RedemptionOutcome = { eventId: event.id, memberId: event.memberId, ...outcome, ...(campaign ? { campaignId: campaign.id } : {}) };
    const guessFailure = outcome.reason !== undefined && GUESS_FAILURES.includes(outcome.reason);
    const stored = await recordOutcome(client, { outcome: full, campaignId: campaign?.id ?? null, code, apiKey: event.apiKey, points, guessFailure });
    if (code) await recordRedemptionAttempt(client, code, event.id, event.memberId, full.outcome, full.reason ?? null, event.apiKey);
    return stored;
  };
  const reject = (reason: RejectionReason, extra: Partial<RedemptionOutcome> = {}) => finish({ outcome: 'rejected', reason, ...extra });

  const failures = await recentGuessFailures(client, event.memberId, event.apiKey, lockout.windowSeconds);
  if (failures.member >= lockout.maxFailures || failures.key >= lockout.maxFailures) return reject('too_many_attempts');

  const attributes = await triggerAttributesFor(client, event.name);
  const typed = attributes.map((a) => event.attributes[a]).find((v): v is string => typeof v === 'string');
  const normalized = typed ? normalizeCode(typed) : null;
  if (normalized && isMistyped(normalized, families)) return reject('mistyped_code', { message: MISTYPED_CODE_MESSAGE });
  const record = normalized ? await findCode(client, normalized, true) : null;
  if (!record) return reject('unknown_code');
  code = record.code;
  campaign = record.poolKind === 'campaign' ? await findCampaign(client, record.poolOwnerId!) : null;
  if (!campaign || campaign.triggerEvent !== event.name) {
    campaign = null;
    return reject('wrong_campaign');
  }
  if (record.status === 'cancelled') return reject('code_cancelled');
  if (record.status !== 'unused') return reject('code_used');
  if (campaign.status !== 'active') return reject('campaign_inactive');
  const now = Date.now();
  if (campaign.startsAt && campaign.startsAt.getTime() > now) return reject('not_started');
  if (campaign.endsAt && campaign.endsAt.getTime() <= now) return reject('ended');

  const member = await findMember(client, event.memberId, true);
  if (!member) return reject('member_unknown');
  if (!isVisible(campaign, member)) return reject('not_visible');
  const verdict = await evaluateRules(campaign.rules, ruleFacts(member, { name: event.name, attributes: event.attributes }, { id: campaign.id, name: campaign.name }));
  if (!verdict.passed) return reject('conditions_not_met', { failedConditions: verdict.failed as unknown as Array<Record<string, unknown>> });

  if (campaign.frequency && (await redemptionsInPeriod(client, campaign.id, member.id, campaign.frequency.period)) >= campaign.frequency.count) {
    return reject('frequency_limit');
  }
  const points = verdict.rule.effects.reduce((sum, e) => sum + (e.type === 'add_points' ? e.points : 0), 0);
  if (campaign.budgetKind && !(await consumeBudget(client, campaign.id, campaign.budgetKind === 'points' ? points : 1))) {
    return reject('budget_exhausted');
  }
  await assignCode(client, record.code, 'redeemed', member.id);
  const effects = await applyEffects(client, event, campaign, verdict.rule.effects);
  return finish({ outcome: 'redeemed', code: record.code, effects }, points);
}

export function createRedemptionActivities(db: Database, lockout: LockoutPolicy, faults: ChunkFaults = {}) {
  return {
    async redeemCodeEvent(event: CodeEvent): Promise<RedemptionOutcome> {
      const families = await cachedCodeFamilies(db);
      const outcome = await db.transaction((client) => decideRedemption(client, event, lockout, families));
      faults.afterCommit?.({ eventId: event.id }, Context.current().info.attempt);
      return outcome;
    },
  };
}

export type RedemptionActivities = ReturnType<typeof createRedemptionActivities>;
