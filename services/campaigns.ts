import { DomainError } from '../model/errors';
import { loadOrNotFound } from './load-or-not-found';
import { endsAfterStart, type CampaignPatch, type NewCampaign } from '../model/campaign';
import { findCampaign, insertCampaign, isKnownTimeZone, replaceCampaign, type Campaign, type CampaignData } from '../db/campaigns';
import { findEventSchema } from '../db/event-schemas';
import { findReward } from '../db/rewards';
import type { Queryable } from '../db/database';
import { RuleSetError, validateConditions } from '../rules/validate-rules';
import { createCodeBatch } from './code-batches';
import { changeLifecycle } from './campaign-lifecycle';
import { requestedOf } from '../domain/campaign-lifecycle';
import type { LifecycleChange } from '../workflows/campaign-lifecycle-definitions';
import type { AppContext } from './context';

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

function toData(id: string, c: CampaignFields): CampaignData {
  return {
    id,
    name: c.name,
    description: c.description ?? null,
    translations: c.translations,
    startsAt: c.startsAt ? new Date(c.startsAt) : null,
    endsAt: c.endsAt ? new Date(c.endsAt) : null,
    displayOrder: c.displayOrder,
    visibility: c.visibility,
    // A new row is a draft until its workflow decides (the workflow alone writes the status).
    status: 'draft',
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

const lifecycleOf = (c: CampaignFields): LifecycleChange => ({
  requested: c.status,
  startsAt: c.startsAt ?? null,
  endsAt: c.endsAt ?? null,
});

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

/** Saves a campaign and, when asked, starts generating its codes into its pool. */
export async function createCampaign(
  ctx: AppContext,
  request: NewCampaign,
  actor: string,
): Promise<{ campaign: Campaign; codeBatchId: string | null }> {
  const { id, codes, ...given } = request;
  const fields = { ...given, timeZone: given.timeZone ?? ctx.config.defaultTimeZone };
  await validateCampaign(ctx.db, fields);
  const campaign = await insertCampaign(ctx.db, toData(id, fields));
  if (!campaign) throw new DomainError('conflict', 'campaign_exists', `a campaign "${id}" exists already`, 'id');
  const batch = codes ? await createCodeBatch(ctx, { ...codes.generate, pool: { type: 'campaign', id } }, actor) : null;
  // Starts `campaign-<id>`; answers once it has stored the status it decided (scheduled, active...).
  await changeLifecycle(ctx, id, lifecycleOf(fields));
  return { campaign: (await findCampaign(ctx.db, id))!, codeBatchId: batch?.id ?? null };
}

/**
 * Applies a partial change; the merged campaign is validated as a whole. A change of status or dates goes to
 * the campaign's workflow first (it decides and stores the status, and reschedules its timers); the other
 * fields are then saved under the row lock.
 */
export async function updateCampaign(ctx: AppContext, id: string, changes: CampaignPatch): Promise<Campaign> {
  const before = await loadOrNotFound(id, (campaignId) => findCampaign(ctx.db, campaignId), {
    code: 'campaign_not_found',
    message: `no campaign "${id}"`,
    field: 'id',
  });
  const merged = { ...toFields(before), ...changes } as CampaignFields;
  if (!endsAfterStart(merged)) throw new DomainError('invalid', 'validation_failed', 'endsAt must be after startsAt', 'endsAt');
  await validateCampaign(ctx.db, merged);
  const budgetBelowUsed = (used: number) => {
    if (merged.budget && merged.budget.cap < used) {
      throw new DomainError(
        'conflict',
        'budget_below_used',
        `the budget has ${used} used already; the cap can't go below it`,
        'budget.cap',
      );
    }
  };
  budgetBelowUsed(before.budgetUsed);
  if (changes.status !== undefined || changes.startsAt !== undefined || changes.endsAt !== undefined) {
    await changeLifecycle(ctx, id, lifecycleOf(merged));
  }
  return ctx.db.transaction(async (client) => {
    budgetBelowUsed((await findCampaign(client, id, true))!.budgetUsed);
    return replaceCampaign(client, toData(id, merged));
  });
}
