import { recordChange } from '../db/audit-log';
import type { PoolClient } from 'pg';
import { releaseBudget } from '../db/campaigns';
import { recordStatusChange } from '../db/code-history';
import { findCode, releaseCode } from '../db/codes';
import { enqueueOutbox } from '../db/outbox';
import { bookPoints } from '../db/points-ledger';
import { findRewardRedemption, updateRewardRedemption } from '../db/reward-redemptions';
import { lockEventsForRollback, markEventRolledBack } from '../db/redemption-events';
import { budgetCost } from '../domain/redemption-decision';
import { DomainError } from '../model/errors';
import type { AppContext } from './context';
import { ambiguousEventId } from './event-log';

const CHECK_VIOLATION = '23514';

/**
 * A redeemed or awarded code goes back to the pool as unused, without its member: it can be used again. A
 * `fulfilled` code stays fulfilled (the goods went out: handing it out again would give them twice); points and
 * budget still come back.
 */
async function freeCode(client: PoolClient, code: string, actor: string, reason: string) {
  const record = await findCode(client, code, true);
  if (!record || record.status === 'unused' || record.status === 'cancelled' || record.status === 'fulfilled') return;
  await releaseCode(client, code);
  await recordStatusChange(client, code, record.status, 'unused', actor, `rollback: ${reason}`);
}

/** A debit the balance can't cover fails on the balance check; the whole rollback is then refused. */
async function takeBackPoints(client: PoolClient, entry: Parameters<typeof bookPoints>[1]) {
  try {
    await bookPoints(client, entry);
  } catch (error) {
    if ((error as { code?: string }).code !== CHECK_VIOLATION) throw error;
    throw new DomainError(
      'conflict',
      'points_already_spent',
      `member "${entry.memberId}" has spent the points to take back; credit them first`,
      'id',
    );
  }
}

/** Reward redemption or award: points back (a credit), code freed. */
async function rollBackReward(client: PoolClient, id: string, reason: string, actor: string) {
  const redemption = await findRewardRedemption(client, id, true);
  if (!redemption) return null;
  if (redemption.status === 'rolled_back' || redemption.status === 'expired') return { type: 'reward', ...redemption };
  if (redemption.points > 0 && redemption.memberId) {
    await bookPoints(client, {
      memberId: redemption.memberId,
      kind: 'credit',
      points: redemption.points,
      source: `reward:${redemption.rewardId}`,
      reference: `rollback:reward-redemption:${id}`,
      attributes: { reason },
    });
  }
  await freeCode(client, redemption.code, actor, reason);
  return { type: 'reward', ...(await updateRewardRedemption(client, id, { status: 'rolled_back', rollbackReason: reason })) };
}

/** Campaign redemption: points taken back, budget restored, frequency no longer counting it, codes freed. */
async function rollBackCampaign(client: PoolClient, eventId: string, producer: string | undefined, reason: string, actor: string) {
  const events = await lockEventsForRollback(client, eventId, producer);
  if (events.length === 0) return null;
  if (events.length > 1)
    throw ambiguousEventId(
      eventId,
      events.map((e) => e.producer),
    );
  const [event] = events;
  const { result, points, rolledBackAt, campaignId, budgetKind } = event;
  const view = () => ({ type: 'campaign', eventId, campaignId, status: 'rolled_back' as const, outcome: result });
  if (result.outcome !== 'redeemed')
    throw new DomainError('conflict', 'not_redeemed', `event "${eventId}" was rejected: there is nothing to roll back`, 'id');
  if (rolledBackAt) return view();
  for (const effect of result.effects ?? []) {
    if (effect.type === 'add_points') {
      await takeBackPoints(client, {
        memberId: result.memberId,
        kind: 'debit',
        points: effect.points as number,
        source: `campaign:${campaignId}`,
        reference: `rollback:${effect.reference}`,
        attributes: { reason },
      });
    } else if (effect.code) {
      await freeCode(client, effect.code as string, actor, reason);
    }
  }
  if (budgetKind) await releaseBudget(client, campaignId, budgetCost(budgetKind, points));
  await markEventRolledBack(client, event.producer, eventId);
  await freeCode(client, result.code!, actor, reason);
  await enqueueOutbox(client, 'redemption.rolled_back', {
    version: 1,
    eventId,
    producer: event.producer,
    campaignId,
    memberId: result.memberId,
    code: result.code,
    reason,
    occurredAt: new Date().toISOString(),
  });
  return view();
}

/**
 * Rolls back a reward redemption (its id) or a campaign redemption (its event id), exactly once: a second
 * rollback finds it rolled back and changes nothing.
 */
export async function rollBackRedemption(ctx: AppContext, id: string, reason: string, actor: string, producer?: string) {
  return ctx.db.transaction(async (client) => {
    const result = (await rollBackReward(client, id, reason, actor)) ?? (await rollBackCampaign(client, id, producer, reason, actor));
    if (!result) throw new DomainError('not_found', 'redemption_not_found', `no reward redemption or campaign event "${id}"`, 'id');
    await recordChange(client, {
      actor,
      entityType: 'redemption',
      entityId: id,
      action: 'rollback',
      detail: { type: result.type, reason },
    });
    return result;
  });
}
