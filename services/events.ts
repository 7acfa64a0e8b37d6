import type { Database } from '../db/database';
import { findEventSchemaVersion, type EventSchema } from '../db/event-schemas';
import {
  applyRedemption,
  GUARD_FAILURES,
  readRedemptionSnapshot,
  type RedemptionSnapshot,
  type RedemptionWrite,
} from '../db/redemption-fast-path';
import type { RedemptionOutcome } from '../db/redemption-events';
import {
  decideRedemption,
  rejectionBeforeRules,
  type DecisionInput,
  type DecisionRule,
  type LockoutPolicy,
} from '../domain/redemption-decision';
import { normalizeCode } from '../domain/normalize-code';
import { isMistyped, MISTYPED_CODE_MESSAGE, type CodeFamily } from '../domain/code-family';
import { cachedCodeFamilies } from '../db/code-families';
import { DomainError } from '../model/errors';
import { validateEventAttributes, type EventAttributes } from '../rules/event-validation';
import { RuleCache } from '../rules/rule-cache';
import { ruleFacts } from '../rules/facts';
import { campaignLabel, metricsEnabled, redemptionDecision, redemptionEvents, redemptionGuardRetries } from '../observability/metrics';
import { currentTraceparent } from '../observability/trace-context';
import type { AppContext } from './context';

/** A custom event as POST /v1/events accepted it. */
export interface PostedEvent {
  id: string;
  name: string;
  memberId: string;
  attributes: Record<string, unknown>;
}

// Guards fail only when another redemption changed what this one read (its code, its member, its budget); each
// retry reads the newer state, so a handful always suffices. Past it, the caller gets a 503 and sends it again.
const MAX_ATTEMPTS = 20;

/** Per database (tests run several systems in one process): compiled rules and event schemas by version. */
interface Caches {
  rules: RuleCache<DecisionRule>;
  schemas: Map<string, { schema: EventSchema; version: string }>;
}
const cachesByDb = new WeakMap<Database, Caches>();
function cachesOf(db: Database): Caches {
  let caches = cachesByDb.get(db);
  if (!caches) cachesByDb.set(db, (caches = { rules: new RuleCache(), schemas: new Map() }));
  return caches;
}

async function checkedAttributes(
  ctx: AppContext,
  caches: Caches,
  event: PostedEvent,
): Promise<{ attributes: EventAttributes; version: string }> {
  let entry = caches.schemas.get(event.name);
  if (!entry) {
    const found = await findEventSchemaVersion(ctx.db, event.name);
    if (!found) throw new DomainError('unprocessable', 'unknown_event', `no event schema "${event.name}"`, 'name');
    caches.schemas.set(event.name, (entry = found));
  }
  if (!entry.schema.active) {
    caches.schemas.delete(event.name); // looked up again next time: it may be reactivated
    throw new DomainError('unprocessable', 'event_schema_inactive', `the event schema "${event.name}" is not active`, 'name');
  }
  const checked = validateEventAttributes(entry.schema, event.attributes);
  if (!checked.ok) throw new DomainError('invalid', checked.code, checked.message, checked.field);
  return { attributes: checked.attributes, version: entry.version };
}

/** Every text attribute read as a code; the campaigns' trigger attribute (known to the database) picks one. */
function candidateCodes(attributes: EventAttributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (typeof value === 'string') out[name] = normalizeCode(value) ?? '';
  return out;
}

/** The pure decision over one snapshot (rules from the cache), as the write that applies it. */
async function decide(
  caches: Caches,
  event: PostedEvent & { attributes: EventAttributes },
  apiKey: string,
  s: RedemptionSnapshot,
  lockout: LockoutPolicy,
  families: readonly CodeFamily[],
): Promise<RedemptionWrite> {
  const input: DecisionInput<DecisionRule> = {
    eventName: event.name,
    code: s.code,
    campaign: s.campaign,
    member: s.member,
    now: new Date(),
    lockout,
    mistyped: s.typedCode !== null && isMistyped(s.typedCode, families),
    counts: { memberFailures: s.memberFailures, keyFailures: s.keyFailures, redemptionsInPeriod: s.redemptionsInPeriod },
  };
  if (!rejectionBeforeRules(input)) {
    const c = s.campaign!;
    input.verdict = await caches.rules.get(
      c.id,
      c.version,
      c.rules,
    )(ruleFacts(s.member!, { name: event.name, attributes: event.attributes }, { id: c.id, name: c.name }));
  }
  const decision = decideRedemption(input);
  const reason = decision.outcome === 'rejected' ? decision.reason : undefined;
  // Before the code is found there is no code to record; before its campaign matches, no campaign.
  const code = reason === 'too_many_attempts' || reason === 'unknown_code' || reason === 'mistyped_code' ? null : s.code!.code;
  const campaignId = code === null || reason === 'wrong_campaign' ? null : s.campaign!.id;
  const result: RedemptionOutcome = {
    eventId: event.id,
    memberId: event.memberId,
    outcome: decision.outcome,
    ...(reason ? { reason } : {}),
    ...(reason === 'mistyped_code' ? { message: MISTYPED_CODE_MESSAGE } : {}),
    ...(decision.outcome === 'rejected' && decision.failedConditions
      ? { failedConditions: decision.failedConditions as unknown as Array<Record<string, unknown>> }
      : {}),
    ...(decision.outcome === 'redeemed' ? { code: code! } : {}),
    ...(campaignId ? { campaignId } : {}),
  };
  const redeemed = decision.outcome === 'redeemed';
  return {
    eventId: event.id,
    memberId: event.memberId,
    campaignId,
    code,
    apiKey,
    result,
    points: redeemed ? decision.points : 0,
    budgetCost: redeemed ? decision.budgetCost : 0,
    guessFailure: decision.outcome === 'rejected' && decision.guessFailure,
    memberVersion: s.member?.version ?? null,
    campaignVersion: s.campaign?.version ?? null,
    effects: redeemed ? decision.effects : [],
    attributes: event.attributes,
  };
}

/**
 * Decides and applies one event in the API process, with no workflow on the answer path: one read of the code,
 * campaign, member and counts; the pure decision; one guarded write that applies it in its own transaction
 * (outbox message included) or reports that something it read changed, and then all of it again. The same
 * event id always gets one redemption and the same answer: the write claims the id first.
 */
export async function postEvent(ctx: AppContext, body: PostedEvent, apiKey: string): Promise<RedemptionOutcome> {
  if (!metricsEnabled) return decideAndApply(ctx, body, apiKey);
  const end = redemptionDecision.startTimer();
  const outcome = await decideAndApply(ctx, body, apiKey);
  end();
  redemptionEvents.inc({ outcome: outcome.outcome, reason: outcome.reason ?? '', campaign: campaignLabel(outcome.campaignId) });
  return outcome;
}

async function decideAndApply(ctx: AppContext, body: PostedEvent, apiKey: string): Promise<RedemptionOutcome> {
  const caches = cachesOf(ctx.db);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { attributes, version } = await checkedAttributes(ctx, caches, body);
    const snapshot = await readRedemptionSnapshot(ctx.db.pool, {
      eventId: body.id,
      eventName: body.name,
      candidateCodes: candidateCodes(attributes),
      memberId: body.memberId,
      apiKey,
      lockoutWindowSeconds: ctx.config.lockout.windowSeconds,
    });
    if (snapshot.stored) return snapshot.stored;
    if (snapshot.schemaVersion !== version) {
      caches.schemas.delete(body.name); // edited since cached: check the attributes against the new one
      continue;
    }
    const write = await decide(caches, { ...body, attributes }, apiKey, snapshot, ctx.config.lockout, await cachedCodeFamilies(ctx.db));
    try {
      const { outcome, replayed } = await applyRedemption(ctx.db.pool, write, currentTraceparent());
      ctx.faults?.redemption?.afterCommit?.({ eventId: body.id }, replayed ? 2 : 1);
      return outcome;
    } catch (error) {
      if (!GUARD_FAILURES.has((error as { code?: string }).code ?? '')) throw error;
      if (metricsEnabled) redemptionGuardRetries.inc();
    }
  }
  throw new DomainError('unavailable', 'redemption_contended', `event "${body.id}" could not be decided for contention; send it again`);
}
