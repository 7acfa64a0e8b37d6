import { findCampaign } from '../db/campaigns';
import { findCode } from '../db/codes';
import { findMember } from '../db/members';
import { redemptionsInPeriod, type RedemptionOutcome } from '../db/redemption-events';
import type { Decision, DecisionCode, DecisionRule } from '../domain/redemption-decision';
import { normalizeCode } from '../domain/normalize-code';
import type { ReplayRequest, SimulateRequest } from '../model/simulation';
import type { MemberProfile } from '../model/member';
import { compileRules } from '../rules/evaluate';
import { validateRuleSet } from './campaigns';
import { loadOrNotFound } from './load-or-not-found';
import type { AppContext } from './context';
import { loadRuleVersion } from './campaign-rules';
import { decideWith, NO_COUNTS, NO_LOCKOUT } from './replay-run';
import { replayOffLoop, startReplayThread, type ReplayDatabase } from './replay-pool';
import type { Database } from '../db/database';

const loadCampaign = (ctx: AppContext, id: string) =>
  loadOrNotFound(id, (i) => findCampaign(ctx.db, i), { code: 'campaign_not_found', message: `no campaign "${id}"`, field: 'id' });

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
  const decision = await decideWith(
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

/** The replay thread's own small pool on the API's database. */
function replayDatabase(db: Database): ReplayDatabase {
  const { url, limits } = db.settings();
  return { url, limits: { ...limits, max: 2 } };
}

/** Starts the what-if replay's thread now (API start), so that the first replay does not pay for it beside traffic. */
export function prepareReplays(db: Database): void {
  startReplayThread(replayDatabase(db));
}

/**
 * What-if: re-decides a campaign's last N recorded events (not rolled back) with a draft rule set, oldest first,
 * over the members' CURRENT profiles (no snapshot of the profile is kept per event) and the attributes each
 * event carried. Checks decided before the rules (code, lockout, campaign window) keep their recorded outcome.
 * Frequency limits count within the replayed events (in the campaign's time zone); the budget starts from what was used before them.
 * Writes nothing. The loading and re-deciding run on a worker thread (services/replay-pool.ts), off the API's event loop.
 */
export async function replay(ctx: AppContext, campaignId: string, body: ReplayRequest) {
  const campaign = await loadCampaign(ctx, campaignId);
  // A saved version was valid when saved, but may name a reward since gone: it is checked like a draft.
  const ruleSet = body.rulesVersion === undefined ? body.rules! : (await loadRuleVersion(ctx.db, campaign.id, body.rulesVersion)).rules;
  await validateRuleSet(ctx.db, ruleSet);
  // The thread reads the events and members itself: 10,000 rows parsed and cloned here blocked the event loop for
  // 57-89 ms per replay, and every event answered meanwhile waited that long (README "Redemption figures").
  return replayOffLoop(replayDatabase(ctx.db), { campaign, rules: ruleSet, limit: body.limit });
}
