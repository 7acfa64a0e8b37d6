import type { Campaign } from '../db/campaigns';
import type { ReplayableEvent } from '../db/redemption-events';
import { budgetCost, decideRedemption, rejectionBeforeRules, type DecisionInput, type DecisionRule } from '../domain/redemption-decision';
import { FrequencyTally } from '../domain/frequency-window';
import type { MemberProfile } from '../model/member';
import { compileRules, type CompiledRules } from '../rules/evaluate';
import { ruleFacts } from '../rules/facts';

/**
 * The what-if replay's computation, pure (no database): what services/replay-thread.ts runs off the API's event
 * loop, after reading its input there. services/simulation.ts shares the decision helper below with the simulator.
 */

// The simulator is not a guesser: the lockout never applies to it, and nothing it does is counted.
export const NO_LOCKOUT = {
  maxFailures: Number.POSITIVE_INFINITY,
  windowSeconds: 0,
  keyMinFailures: Number.POSITIVE_INFINITY,
  keyFailurePercent: 100,
};
export const NO_COUNTS = { memberFailures: 0, keyFailures: 0, keyAttempts: 0, redemptionsInPeriod: 0 };

/** Runs the pure decision with a rule set compiled for this call; nothing is read or written here. */
export async function decideWith(
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

/** What the API sends the thread (structured-cloneable): the thread reads the campaign's last `limit` events itself. */
export interface ReplayTask {
  campaign: Campaign;
  rules: DecisionRule[];
  limit: number;
}

/** What the replay re-decides. */
export interface ReplayInput {
  campaign: Campaign;
  rules: DecisionRule[];
  events: ReplayableEvent[];
  members: Map<string, MemberProfile>;
}

/**
 * Re-decides the events in order with the draft rules; see services/simulation.ts replay. `pace` is called between
 * events and may return a pause to await (services/background-pacer.ts: the thread gives the CPU to the answer path).
 */
export async function runReplay({ campaign, rules: draftRules, events, members }: ReplayInput, pace?: () => Promise<void> | undefined) {
  const rules = compileRules<DecisionRule>(draftRules);
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
    const pause = pace?.();
    if (pause) await pause;
    const now = { outcome: e.outcome, reason: e.reason, points: e.points };
    let next: { outcome: 'redeemed' | 'rejected'; reason: string | null; points: number } = now;
    if (!DECIDED_BEFORE_RULES.has(e.reason ?? '')) {
      const member = members.get(e.memberId) ?? null;
      const decision = await decideWith(
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

export type ReplayResult = Awaited<ReturnType<typeof runReplay>>;
