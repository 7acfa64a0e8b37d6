import { createHash } from 'node:crypto';
import { DomainError } from '../model/errors';
import { loadOrNotFound } from './load-or-not-found';
import { endsAfterStart, type CampaignPatch, type NewCampaign } from '../model/campaign';
import type { CampaignStatus } from '../model/campaign-lifecycle';
import type { CodeBatchRequestedCommand } from '../model/outbox-commands';
import {
  campaignCreateToken,
  findCampaign,
  insertCampaign,
  isKnownTimeZone,
  replaceCampaign,
  type Campaign,
  type CampaignData,
} from '../db/campaigns';
import { firstBatchOfCampaign } from '../db/code-batches';
import { forgetCodeFamilies } from '../db/code-families';
import { findEventSchema } from '../db/event-schemas';
import { enqueueOutbox } from '../db/outbox';
import { findReward } from '../db/rewards';
import type { Queryable } from '../db/database';
import { RuleSetError, validateConditions } from '../rules/validate-rules';
import { acceptGeneration, recordGeneration } from './code-batches';
import { notifyCampaignWorkflow } from './campaign-lifecycle';
import { announceStatusChange } from '../activities/campaign-status-change';
import { decideStatus, requestedOf } from '../domain/campaign-lifecycle';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import { loadRuleVersion, ruleVersionAfter } from './campaign-rules';
import { insertRuleVersion } from '../db/campaign-rule-versions';

type CampaignFields = Omit<NewCampaign, 'id' | 'codes'>;

/** The save-time checks of a rule set (a campaign's, or a draft the simulator runs): 400 naming the spot. */
export async function validateRuleSet(db: Queryable, rules: CampaignFields['rules']): Promise<void> {
  rules.forEach((rule, i) => {
    try {
      validateConditions(rule.conditions, `rules.${i}.conditions`);
    } catch (error) {
      if (error instanceof RuleSetError)
        throw new DomainError('invalid', 'invalid_rules', `rule "${rule.name}": ${error.message}`, error.field);
      throw error;
    }
  });
  for (const [i, rule] of rules.entries()) {
    for (const [j, effect] of rule.effects.entries()) {
      if (effect.type === 'issue_coupon' && !(await findReward(db, effect.rewardId))) {
        throw new DomainError(
          'invalid',
          'unknown_reward',
          `no reward "${effect.rewardId}" to issue a coupon from`,
          `rules.${i}.effects.${j}.rewardId`,
        );
      }
    }
  }
}

/** Everything a schema can't check: rule sets json-rules-engine must accept, and a trigger that exists. */
async function validateCampaign(db: Queryable, c: CampaignFields): Promise<void> {
  await validateRuleSet(db, c.rules);
  if (c.timeZone && !(await isKnownTimeZone(db, c.timeZone))) {
    throw new DomainError('invalid', 'unknown_time_zone', `PostgreSQL does not know the time zone "${c.timeZone}"`, 'timeZone');
  }
  const schema = await findEventSchema(db, c.trigger.event);
  if (!schema)
    throw new DomainError(
      'invalid',
      'unknown_event_schema',
      `no event schema "${c.trigger.event}"; create it first (POST /v1/event-schemas)`,
      'trigger.event',
    );
  const attribute = schema.attributes.find((a) => a.name === c.trigger.codeAttribute);
  if (!attribute || attribute.type !== 'text') {
    throw new DomainError(
      'invalid',
      'invalid_trigger',
      `event "${schema.name}" has no text attribute "${c.trigger.codeAttribute}" to carry the code`,
      'trigger.codeAttribute',
    );
  }
}

function toData(id: string, c: CampaignFields, status: CampaignStatus): CampaignData {
  return {
    id,
    name: c.name,
    description: c.description ?? null,
    translations: c.translations,
    startsAt: c.startsAt ? new Date(c.startsAt) : null,
    endsAt: c.endsAt ? new Date(c.endsAt) : null,
    displayOrder: c.displayOrder,
    visibility: c.visibility,
    status,
    triggerEvent: c.trigger.event,
    triggerAttribute: c.trigger.codeAttribute,
    rules: c.rules,
    // Filled in by createCampaign from the DEFAULT_TIME_ZONE setting when the request names none.
    timeZone: c.timeZone ?? 'UTC',
    frequency: c.frequency ?? null,
    budgetKind: c.budget?.kind ?? null,
    budgetCap: c.budget?.cap ?? null,
    alerts: c.alerts,
    topUp: c.topUp ?? null,
  };
}

/** The status the wish and dates make now, from the stored one (ended is final): what the row stores. */
const statusNow = (c: CampaignFields, stored: CampaignStatus): CampaignStatus =>
  decideStatus(
    {
      status: stored,
      requested: c.status,
      startsAt: c.startsAt ? Date.parse(c.startsAt) : null,
      endsAt: c.endsAt ? Date.parse(c.endsAt) : null,
    },
    Date.now(),
  );

export function toFields(c: Campaign): CampaignFields {
  return {
    name: c.name,
    description: c.description ?? undefined,
    translations: c.translations,
    startsAt: c.startsAt?.toISOString(),
    endsAt: c.endsAt?.toISOString(),
    displayOrder: c.displayOrder,
    visibility: c.visibility,
    status: requestedOf(c.status),
    alerts: c.alerts,
    topUp: c.topUp ?? undefined,
    trigger: { event: c.triggerEvent, codeAttribute: c.triggerAttribute },
    rules: c.rules,
    timeZone: c.timeZone,
    frequency: c.frequency ?? undefined,
    budget: c.budgetKind && c.budgetCap ? { kind: c.budgetKind, cap: c.budgetCap } : undefined,
  };
}

/** A campaign as its history shows it: what the API answers, without what moves by itself (budget use, version). */
const historyView = (c: Campaign) => ({ ...toFields(c), status: c.status, rulesVersion: c.rulesVersion });

/** Who sent a create with which Idempotency-Key: a retry of the same create finds its campaign by it. */
export interface CreateOrigin {
  principal: string;
  idempotencyKey?: string;
}
const createTokenOf = (origin: CreateOrigin) =>
  origin.idempotencyKey === undefined ? null : createHash('sha256').update(`${origin.principal}\n${origin.idempotencyKey}`).digest('hex');

/**
 * Saves a campaign, all or nothing: every check first (rules, trigger, the codes' cap and keyspace), then one
 * transaction with the row (its status decided from the wish and dates), the generation job if asked for, its
 * notification and the outbox rows that start the generation and the campaign's workflow once committed. A
 * retry of a create whose answer was lost (same API key and Idempotency-Key) answers the campaign it made.
 */
export async function createCampaign(
  ctx: AppContext,
  request: NewCampaign,
  origin: CreateOrigin,
): Promise<{ campaign: Campaign; codeBatchId: string | null }> {
  const { id, codes, ...given } = request;
  const fields = { ...given, timeZone: given.timeZone ?? ctx.config.defaultTimeZone };
  await validateCampaign(ctx.db, fields);
  const generation = codes ? await acceptGeneration(ctx, { ...codes.generate, pool: { type: 'campaign', id } }) : null;
  const token = createTokenOf(origin);
  const created = await ctx.db.transaction(async (client) => {
    const campaign = await insertCampaign(client, toData(id, fields, statusNow(fields, 'draft')), token);
    if (!campaign) {
      if (token !== null && (await campaignCreateToken(client, id)) === token) {
        return { campaign: (await findCampaign(client, id))!, codeBatchId: await firstBatchOfCampaign(client, id) };
      }
      throw new DomainError('conflict', 'campaign_exists', `a campaign "${id}" exists already`, 'id');
    }
    let codeBatchId: string | null = null;
    if (generation) {
      const { workflowId, input } = await recordGeneration(client, ctx.config, generation, origin.principal);
      const command: CodeBatchRequestedCommand = { workflowId, ...input };
      await enqueueOutbox(client, 'code_batch.requested', command);
      codeBatchId = input.batchId;
    }
    await insertRuleVersion(client, { campaignId: id, version: 1, rules: campaign.rules, restoredFrom: null, createdBy: origin.principal });
    await recordChange(client, {
      actor: origin.principal,
      entityType: 'campaign',
      entityId: id,
      action: 'create',
      after: historyView(campaign),
      detail: codeBatchId ? { codeBatchId } : null,
    });
    await announceStatusChange(client, id, 'draft', campaign.status);
    await notifyCampaignWorkflow(client, ctx, id, campaign.version);
    return { campaign, codeBatchId };
  });
  if (generation) forgetCodeFamilies(ctx.db);
  return created;
}

const lifecycleFields = ['status', 'startsAt', 'endsAt'] as const;

/** Who asks for a change, and whether it restores a saved rule set (the version whose rules `changes` carries). */
export interface ChangeOrigin {
  actor: string;
  restoredFrom?: number;
}

/**
 * Applies a partial change under the row lock, in one transaction: the merged campaign is validated as a whole,
 * its status decided from the wish and dates (a pause holds from the commit on, Temporal up or down), its
 * notification, the outbox row for its workflow, its rule version (when the rules change) and its history row
 * written with it. `expectedVersion` (If-Match) refuses a change made from a stale read with 412.
 */
export async function updateCampaign(
  ctx: AppContext,
  id: string,
  changes: CampaignPatch,
  expectedVersion: number | null | undefined,
  origin: ChangeOrigin,
): Promise<Campaign> {
  return ctx.db.transaction(async (client) => {
    const before = await loadOrNotFound(id, (campaignId) => findCampaign(client, campaignId, true), {
      code: 'campaign_not_found',
      message: `no campaign "${id}"`,
      field: 'id',
    });
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new DomainError(
        'precondition_failed',
        'precondition_failed',
        `the campaign changed since it was read (version ${before.version} now); read it again and redo the change`,
        'If-Match',
      );
    }
    if (before.status === 'ended' && lifecycleFields.some((f) => changes[f] !== undefined)) {
      throw new DomainError('conflict', 'campaign_ended', 'the campaign has ended; its status and dates can no longer change', 'status');
    }
    const merged = { ...toFields(before), ...changes } as CampaignFields;
    if (!endsAfterStart(merged)) throw new DomainError('invalid', 'validation_failed', 'endsAt must be after startsAt', 'endsAt');
    await validateCampaign(client, merged);
    if (merged.budget && merged.budget.cap < before.budgetUsed) {
      throw new DomainError(
        'conflict',
        'budget_below_used',
        `the budget has ${before.budgetUsed} used already; the cap can't go below it`,
        'budget.cap',
      );
    }
    const restoredFrom = origin.restoredFrom ?? null;
    const rulesVersion = await ruleVersionAfter(client, before, merged.rules, origin.actor, restoredFrom);
    const after = await replaceCampaign(client, toData(id, merged, statusNow(merged, before.status)), rulesVersion);
    await announceStatusChange(client, id, before.status, after.status);
    await notifyCampaignWorkflow(client, ctx, id, after.version);
    await recordChange(client, {
      actor: origin.actor,
      entityType: 'campaign',
      entityId: id,
      action: restoredFrom === null ? 'update' : 'restore_rules',
      before: historyView(before),
      after: historyView(after),
      detail: restoredFrom === null ? null : { restoredFrom, rulesVersion },
    });
    return after;
  });
}

/** Makes an old rule set the one in force again, as a new version: a change like any other (If-Match, history). */
export async function restoreRuleVersion(
  ctx: AppContext,
  id: string,
  version: number,
  expectedVersion: number | null | undefined,
  actor: string,
): Promise<Campaign> {
  const saved = await loadRuleVersion(ctx.db, id, version);
  return updateCampaign(ctx, id, { rules: saved.rules }, expectedVersion, { actor, restoredFrom: version });
}
