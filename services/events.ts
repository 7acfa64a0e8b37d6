import { createHash } from 'node:crypto';
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
import { onAnswerPath } from './answer-path-load';

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

/** What makes two posts of one event id the same request: its name, member and attributes (keys in any order). */
function eventRequestHash(event: PostedEvent): string {
  const attributes = Object.fromEntries(Object.entries(event.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256')
    .update(JSON.stringify([event.name, event.memberId, attributes]))
    .digest('hex');
}

/** The stored outcome for a retry; a 409 when the producer reused the event id for another request. */
function storedOutcome(event: PostedEvent, requestHash: string, stored: RedemptionOutcome, storedHash: string | null): RedemptionOutcome {
  if (storedHash !== null && storedHash !== requestHash) {
    throw new DomainError(
      'conflict',
      'event_id_reused',
      `event id "${event.id}" was already used by this producer for another event; give each event its own id`,
      'id',
    );
  }
  return stored;
}

/** The pure decision over one snapshot (rules from the cache), as the write that applies it. */
async function decide(
  caches: Caches,
  event: PostedEvent & { attributes: EventAttributes },
  apiKey: string,
  s: RedemptionSnapshot,
  lockout: LockoutPolicy,
  families: readonly CodeFamily[],
  requestHash: string,
  now: Date,
): Promise<RedemptionWrite> {
  const input: DecisionInput<DecisionRule> = {
    eventName: event.name,
    code: s.code,
    campaign: s.campaign,
    member: s.member,
    memberId: event.memberId,
    now,
    lockout,
    // Looked up first: a check family never hides a code that exists (imported codes may share a family's shape).
    mistyped: s.code === null && s.typedCode !== null && isMistyped(s.typedCode, families),
    counts: {
      memberFailures: s.memberFailures,
      keyFailures: s.keyFailures,
      keyAttempts: s.keyAttempts,
      redemptionsInPeriod: s.redemptionsInPeriod,
    },
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
    frequencyLimited: s.campaign?.frequency != null,
    campaignVersion: s.campaign?.version ?? null,
    rulesVersion: campaignId ? s.campaign!.rulesVersion : null,
    effects: redeemed ? decision.effects : [],
    attributes: event.attributes,
    requestHash,
    lockout: { maxFailures: lockout.maxFailures, windowSeconds: lockout.windowSeconds },
  };
}

/** The 429 answer: never stored under the event id, so the same event sent after the lockout is decided then. */
function lockedOut(event: PostedEvent): RedemptionOutcome {
  return { eventId: event.id, memberId: event.memberId, outcome: 'rejected', reason: 'too_many_attempts' };
}

/**
 * Decides and applies one event in the API process, with no workflow on the answer path: one read of the code,
 * campaign, member and counts; the pure decision; one guarded write that applies it in its own transaction
 * (outbox message included) or reports that something it read changed, and then all of it again. The same
 * event id always gets one redemption and the same answer: the write claims the id first. A lockout (429) is a
 * refusal to decide, not a decision: nothing is written, and the event sent again later is decided then.
 */
export function postEvent(ctx: AppContext, body: PostedEvent, apiKey: string): Promise<RedemptionOutcome> {
  // Counted as the answer path's load: the what-if replay's thread yields the CPU meanwhile.
  return onAnswerPath(() => decideAndMeasure(ctx, body, apiKey));
}

async function decideAndMeasure(ctx: AppContext, body: PostedEvent, apiKey: string): Promise<RedemptionOutcome> {
  if (!metricsEnabled) return decideAndApply(ctx, body, apiKey);
  const end = redemptionDecision.startTimer();
  const outcome = await decideAndApply(ctx, body, apiKey);
  end();
  redemptionEvents.inc({ outcome: outcome.outcome, reason: outcome.reason ?? '', campaign: campaignLabel(outcome.campaignId) });
  return outcome;
}

async function decideAndApply(ctx: AppContext, body: PostedEvent, apiKey: string): Promise<RedemptionOutcome> {
  const caches = cachesOf(ctx.db);
  let requestHash: string | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const decidedAt = ctx.clock?.();
    const { attributes, version } = await checkedAttributes(ctx, caches, body);
    // Hashed once the attributes are known to be flat: a body nested thousands deep is refused by the check (400),
    // where JSON.stringify would overflow the stack (found by hostile-bodies-json.test.ts).
    requestHash ??= eventRequestHash(body);
    const snapshot = await readRedemptionSnapshot(ctx.db.pool, {
      eventId: body.id,
      eventName: body.name,
      candidateCodes: candidateCodes(attributes),
      memberId: body.memberId,
      apiKey,
      lockout: ctx.config.lockout,
      decidedAt,
    });
    if (snapshot.stored) return storedOutcome(body, requestHash, snapshot.stored, snapshot.storedHash);
    if (snapshot.schemaVersion !== version) {
      caches.schemas.delete(body.name); // edited since cached: check the attributes against the new one
      continue;
    }
    const write = await decide(
      caches,
      { ...body, attributes },
      apiKey,
      snapshot,
      ctx.config.lockout,
      await cachedCodeFamilies(ctx.db),
      requestHash,
      decidedAt ?? new Date(),
    );
    if (write.result.reason === 'too_many_attempts') return lockedOut(body);
    try {
      const applied = await applyRedemption(ctx.db.pool, write, currentTraceparent());
      if (applied.locked) return lockedOut(body);
      ctx.faults?.redemption?.afterCommit?.({ eventId: body.id }, applied.replayed ? 2 : 1);
      return applied.replayed ? storedOutcome(body, requestHash, applied.outcome, applied.storedHash) : applied.outcome;
    } catch (error) {
      if (!GUARD_FAILURES.has((error as { code?: string }).code ?? '')) throw error;
      if (metricsEnabled) redemptionGuardRetries.inc();
    }
  }
  throw new DomainError('unavailable', 'redemption_contended', `event "${body.id}" could not be decided for contention; send it again`);
}
