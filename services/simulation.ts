import type { Campaign } from '../db/campaigns';
import { findCampaign } from '../db/campaigns';
import { findCode } from '../db/codes';
import { findMember, findMembers } from '../db/members';
import { listLastCampaignEvents, redemptionsInPeriod, type RedemptionOutcome } from '../db/redemption-events';
import {
  budgetCost,
  decideRedemption,
  rejectionBeforeRules,
  type Decision,
  type DecisionCode,
  type DecisionInput,
  type DecisionRule,
} from '../domain/redemption-decision';
import { normalizeCode } from '../domain/normalize-code';
import type { ReplayRequest, SimulateRequest } from '../model/simulation';
import type { MemberProfile } from '../model/member';
import { compileRules, type CompiledRules } from '../rules/evaluate';
import { ruleFacts } from '../rules/facts';
import { validateRuleSet } from './campaigns';
import { loadOrNotFound } from './load-or-not-found';
import type { AppContext } from './context';
import { loadRuleVersion } from './campaign-rules';
import { FrequencyTally } from '../domain/frequency-window';

// The simulator is not a guesser: the lockout never applies to it, and nothing it does is counted.
const NO_LOCKOUT = {
  maxFailures: Number.POSITIVE_INFINITY,
  windowSeconds: 0,
  keyMinFailures: Number.POSITIVE_INFINITY,
  keyFailurePercent: 100,
};
const NO_COUNTS = { memberFailures: 0, keyFailures: 0, keyAttempts: 0, redemptionsInPeriod: 0 };

const loadCampaign = (ctx: AppContext, id: string) =>
  loadOrNotFound(id, (i) => findCampaign(ctx.db, i), { code: 'campaign_not_found', message: `no campaign "${id}"`, field: 'id' });

/** Runs the pure decision with a rule set compiled for this call; nothing is read or written here. */
async function decide(
  input: DecisionInput<DecisionRule>,
  rules: CompiledRules<DecisionRule>,
  campaign: Campaign,
  member: MemberProfile | null,
  attributes: Record<string, unknown>,
) {
  if (!rejectionBeforeRules(input)) {
    input.verdict = await rules(ruleFacts(member!, { name: campaign.triggerEvent, attributes }, { id: campaign.id, name: campaign.name }));
  }
  return decideRedemption(input);
}

/** What the effects of a redemption would be, without taking a coupon code. */
function effectsView(decision: Decision<DecisionRule>) {
  if (decision.outcome !== 'redeemed') return undefined;
  return decision.effects.map((e) =>
    e.type === 'add_points' ? { type: e.type, points: e.points } : { type: e.type, rewardId: e.rewardId },
  );
}

/**
 * A dry run of POST /v1/events: the same pure decision over the stored campaign (or a draft rule set), a stored
 * member or a typed profile, and optionally a code. It only reads: no lockout counting, no event record.
 */
export async function simulate(
  ctx: AppContext,
  campaignId: string,
  body: SimulateRequest,
): Promise<RedemptionOutcome & { simulated: true; points: number }> {
  const campaign = await loadCampaign(ctx, campaignId);
  if (body.rules) await validateRuleSet(ctx.db, body.rules);
  const member: MemberProfile | null =
    body.memberId !== undefined
      ? await findMember(ctx.db, body.memberId)
      : {
          id: 'simulated',
          tier: body.member!.tier ?? null,
          segments: body.member!.segments,
          tags: body.member!.tags,
          enrolledAt: body.member!.enrolledAt ?? null,
          attributes: body.member!.attributes ?? {},
          balance: body.member!.balance,
        };
  let code: DecisionCode | null | undefined;
  if (body.code !== undefined) {
    const record = await findCode(ctx.db, normalizeCode(body.code) ?? '');
    code = record && {
      code: record.code,
      status: record.status,
      campaignId: record.poolKind === 'campaign' ? record.poolOwnerId : null,
      expiresAt: record.expiresAt,
      memberId: record.memberId,
    };
  }
  const frequency =
    campaign.frequency && body.memberId !== undefined && member
      ? await redemptionsInPeriod(ctx.db, campaign.id, member.id, campaign.frequency, campaign.timeZone)
      : 0;
  const attributes = { ...body.attributes, ...(code ? { [campaign.triggerAttribute]: code.code } : {}) };
  const decision = await decide(
    {
      eventName: campaign.triggerEvent,
      code,
      campaign,
      member,
      memberId: member?.id,
      now: new Date(),
      counts: { ...NO_COUNTS, redemptionsInPeriod: frequency },
      lockout: NO_LOCKOUT,
    },
    compileRules(body.rules ?? campaign.rules),
    campaign,
    member,
    attributes,
  );
  const effects = effectsView(decision);
  return {
    eventId: 'simulation',
    memberId: member?.id ?? body.memberId ?? 'simulated',
    outcome: decision.outcome,
    campaignId: campaign.id,
    ...(decision.outcome === 'rejected'
      ? {
          reason: decision.reason,
          ...(decision.failedConditions
            ? { failedConditions: decision.failedConditions as unknown as Array<Record<string, unknown>> }
            : {}),
        }
      : {}),
    ...(code && decision.outcome === 'redeemed' ? { code: code.code } : {}),
    ...(effects ? { effects } : {}),
    simulated: true,
    points: decision.outcome === 'redeemed' ? decision.points : 0,
  };
}

interface Tally {
  redeemed: number;
  rejected: number;
  byReason: Record<string, number>;
  points: number;
}
const emptyTally = (): Tally => ({ redeemed: 0, rejected: 0, byReason: {}, points: 0 });
function count(t: Tally, o: { outcome: string; reason: string | null; points: number }) {
  if (o.outcome === 'redeemed') t.redeemed++;
  else {
    t.rejected++;
    t.byReason[o.reason!] = (t.byReason[o.reason!] ?? 0) + 1;
  }
  t.points += o.points;
}

// Reasons decided before the rules ran: a different rule set can't change them.
const DECIDED_BEFORE_RULES = new Set([
  'too_many_attempts',
  'unknown_code',
  'wrong_campaign',
  'code_cancelled',
  'code_used',
  'campaign_inactive',
  'not_started',
  'ended',
]);

/**
 * What-if: re-decides a campaign's last N recorded events (not rolled back) with a draft rule set, oldest first,
 * over the members' CURRENT profiles (no snapshot of the profile is kept per event) and the attributes each
 * event carried. Checks decided before the rules (code, lockout, campaign window) keep their recorded outcome.
 * Frequency limits count within the replayed events (in the campaign's time zone); the budget starts from what was used before them.
 * Writes nothing.
 */
export async function replay(ctx: AppContext, campaignId: string, body: ReplayRequest) {
  const campaign = await loadCampaign(ctx, campaignId);
  // A saved version was valid when saved, but may name a reward since gone: it is checked like a draft.
  const ruleSet = body.rulesVersion === undefined ? body.rules! : (await loadRuleVersion(ctx.db, campaign.id, body.rulesVersion)).rules;
  await validateRuleSet(ctx.db, ruleSet);
  const events = await listLastCampaignEvents(ctx.db, campaign.id, body.limit);
  const members = await findMembers(ctx.db, [...new Set(events.map((e) => e.memberId))]);
  const rules = compileRules<DecisionRule>(ruleSet);
  const cost = (o: { outcome: string; points: number }) => (o.outcome === 'redeemed' ? budgetCost(campaign.budgetKind, o.points) : 0);
  const usedBefore = campaign.budgetUsed - events.reduce((sum, e) => sum + cost(e), 0);
  const replayed = { ...campaign, status: 'active' as const, startsAt: null, endsAt: null };
  const current = emptyTally();
  const draft = emptyTally();
  const frequency = new FrequencyTally(campaign.frequency, campaign.timeZone);
  let draftBudget = 0;
  let currentBudget = 0;
  const changed: Array<Record<string, unknown>> = [];
  for (const e of events) {
    const now = { outcome: e.outcome, reason: e.reason, points: e.points };
    let next: { outcome: 'redeemed' | 'rejected'; reason: string | null; points: number } = now;
    if (!DECIDED_BEFORE_RULES.has(e.reason ?? '')) {
      const member = members.get(e.memberId) ?? null;
      const decision = await decide(
        {
          eventName: campaign.triggerEvent,
          code: undefined,
          campaign: { ...replayed, budgetUsed: usedBefore + draftBudget },
          member,
          now: e.createdAt,
          counts: { ...NO_COUNTS, redemptionsInPeriod: frequency.countAt(e.memberId, e.createdAt) },
          lockout: NO_LOCKOUT,
        },
        rules,
        campaign,
        member,
        e.attributes,
      );
      next =
        decision.outcome === 'redeemed'
          ? { outcome: 'redeemed', reason: null, points: decision.points }
          : { outcome: 'rejected', reason: decision.reason, points: 0 };
      if (decision.outcome === 'redeemed') frequency.record(e.memberId, e.createdAt);
    }
    count(current, now);
    count(draft, next);
    currentBudget += cost(now);
    draftBudget += cost(next);
    if ((now.outcome !== next.outcome || now.reason !== next.reason || now.points !== next.points) && changed.length < 100) {
      changed.push({ eventId: e.eventId, memberId: e.memberId, current: now, draft: next });
    }
  }
  return {
    events: events.length,
    memberProfiles: 'current' as const,
    current,
    draft,
    budgetUsed: { current: currentBudget, draft: draftBudget },
    changed,
  };
}
