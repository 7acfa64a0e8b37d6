import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DomainError } from '../model/errors';
import { recordStatusChange } from '../db/code-history';
import { resolvePool } from '../db/code-pools';
import { assignCode, findCode, setCodeStatus, takeUnusedCode } from '../db/codes';
import { findMember, type Member } from '../db/members';
import { bookPoints } from '../db/points-ledger';
import { enqueueOutbox } from '../db/outbox';
import {
  findRewardRedemption,
  findRewardRedemptionByReference,
  insertRewardRedemption,
  updateRewardRedemption,
  type RewardRedemption,
} from '../db/reward-redemptions';
import type { Reward } from '../db/rewards';
import { validateEventAttributes } from '../rules/event-validation';
import type { ReservationCreatedCommand } from '../model/outbox-commands';
import { checkEligibility, loadReward } from './rewards';
import { loadOrNotFound } from './load-or-not-found';
import type { AppContext } from './context';

export interface RedeemRequest {
  memberId: string;
  attributes: Record<string, unknown>;
  /** The client's id for this redemption, unique per producer (the actor): a retry answers the first one. */
  reference?: string;
}

/** A retry with a reference answers the first redemption; the reference on another request is a 409. */
function replayOf(earlier: RewardRedemption, rewardId: string, kind: 'redemption' | 'award', memberId: string): RewardRedemption {
  if (earlier.rewardId !== rewardId || earlier.kind !== kind || earlier.memberId !== memberId) {
    throw new DomainError(
      'conflict',
      'reference_reused',
      `reference "${earlier.reference}" was already used for another ${earlier.kind} (reward "${earlier.rewardId}")`,
      'reference',
    );
  }
  return earlier;
}

/** The reward's custom transaction attributes, checked like event attributes (mandatory ones enforced). */
function checkAttributes(reward: Reward, attributes: Record<string, unknown>) {
  const schema = {
    name: reward.id,
    active: true,
    createdAt: new Date(),
    updatedAt: new Date(),
    attributes: reward.transactionAttributes.map((a) => ({ name: a.id, type: a.type, required: a.mandatory })),
  };
  const checked = validateEventAttributes(schema, attributes, `the transaction attributes of reward "${reward.id}"`);
  if (!checked.ok) throw new DomainError('invalid', checked.code, checked.message, checked.field);
  return checked.attributes;
}

async function lockEligibleMember(client: PoolClient, reward: Reward, memberId: string): Promise<Member> {
  const member = await findMember(client, memberId, true);
  if (!member) throw new DomainError('unprocessable', 'member_unknown', `no member "${memberId}"`, 'memberId');
  const { eligible } = await checkEligibility(reward, member);
  if (!eligible)
    throw new DomainError('conflict', 'not_eligible', `member "${memberId}" is not eligible for reward "${reward.id}"`, 'memberId');
  return member;
}

/** Debits the cost and hands the code to the member, in the caller's transaction (member row locked). */
async function giveCode(
  client: PoolClient,
  reward: Reward,
  member: Member,
  code: string,
  kind: 'redemption' | 'award',
  id: string,
  attributes: Record<string, unknown>,
  actor: string,
) {
  if (kind === 'redemption' && reward.pointsCost > 0) {
    if (member.balance < reward.pointsCost) {
      throw new DomainError(
        'conflict',
        'insufficient_points',
        `the reward costs ${reward.pointsCost} points; the balance is ${member.balance}`,
        'memberId',
      );
    }
    await bookPoints(client, {
      memberId: member.id,
      kind: 'debit',
      points: reward.pointsCost,
      source: `reward:${reward.id}`,
      reference: `reward-redemption:${id}`,
      attributes,
    });
  }
  await assignCode(client, code, kind === 'redemption' ? 'redeemed' : 'awarded', member.id);
  await recordStatusChange(client, code, 'unused', kind === 'redemption' ? 'redeemed' : 'awarded', actor, `reward ${reward.id} ${kind}`);
  // Followed up (webhooks) by Temporal once committed, never if this transaction rolls back.
  await enqueueOutbox(client, 'reward.redeemed', {
    version: 1,
    redemptionId: id,
    rewardId: reward.id,
    memberId: member.id,
    code,
    kind,
    points: kind === 'redemption' ? reward.pointsCost : 0,
    occurredAt: new Date().toISOString(),
  });
}

async function takeRewardCode(client: PoolClient, reward: Reward): Promise<string> {
  const taken = await takeUnusedCode(client, (await resolvePool(client, { type: 'reward', id: reward.id })).id);
  if (!taken)
    throw new DomainError('conflict', 'no_codes_left', `no unused code left for reward "${reward.id}" (nor in the bank)`, 'rewardId');
  return taken.code;
}

/**
 * Redeem (points) or award (free) a reward in one transaction: eligibility, mandatory attributes, balance, one
 * code from the reward's pool or the bank, the debit. Any refusal leaves nothing changed.
 */
export async function redeemReward(
  ctx: AppContext,
  rewardId: string,
  request: RedeemRequest,
  kind: 'redemption' | 'award',
  actor: string,
): Promise<RewardRedemption> {
  try {
    return await redeemOnce(ctx, rewardId, request, kind, actor);
  } catch (error) {
    // The same reference raced in for another member (not serialised by that member's lock): decided again, the
    // reference is now found and answered (or refused as reused).
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION || !request.reference) throw error;
    return redeemOnce(ctx, rewardId, request, kind, actor);
  }
}

const UNIQUE_VIOLATION = '23505';

function redeemOnce(
  ctx: AppContext,
  rewardId: string,
  request: RedeemRequest,
  kind: 'redemption' | 'award',
  actor: string,
): Promise<RewardRedemption> {
  return ctx.db.transaction(async (client) => {
    const reward = await loadReward(client, rewardId);
    if (!reward.active) throw new DomainError('conflict', 'reward_inactive', `reward "${reward.id}" is not active`, 'rewardId');
    const attributes = checkAttributes(reward, request.attributes);
    const member = await lockEligibleMember(client, reward, request.memberId);
    // Read under the member's row lock: a concurrent retry of the same redemption waits here, then finds it.
    const earlier = request.reference && (await findRewardRedemptionByReference(client, actor, request.reference));
    if (earlier) return replayOf(earlier, reward.id, kind, member.id);
    const id = randomUUID();
    const code = await takeRewardCode(client, reward);
    await giveCode(client, reward, member, code, kind, id, attributes, actor);
    return insertRewardRedemption(client, {
      id,
      rewardId: reward.id,
      kind,
      status: kind === 'redemption' ? 'redeemed' : 'awarded',
      memberId: member.id,
      code,
      points: kind === 'redemption' ? reward.pointsCost : 0,
      attributes,
      reservedUntil: null,
      producer: actor,
      reference: request.reference,
    });
  });
}

/**
 * Holds one code for an anonymous reservation until it expires. The reservation and an outbox row asking for its
 * expiry timer commit together; the worker's relay starts the timer (a Temporal workflow) afterwards, so nothing
 * here waits on Temporal and a rolled-back reservation asks for no timer. A timer started late (Temporal away)
 * expires the reservation at once if its time has passed.
 */
export async function reserveReward(ctx: AppContext, rewardId: string, expiresInSeconds: number, actor: string): Promise<RewardRedemption> {
  return ctx.db.transaction(async (client) => {
    const reward = await loadReward(client, rewardId);
    if (!reward.active) throw new DomainError('conflict', 'reward_inactive', `reward "${reward.id}" is not active`, 'rewardId');
    const code = await takeRewardCode(client, reward);
    await setCodeStatus(client, code, 'reserved');
    await recordStatusChange(client, code, 'unused', 'reserved', actor, `reward ${reward.id} reservation`);
    const id = randomUUID();
    const reservedUntil = new Date(Date.now() + expiresInSeconds * 1000);
    const reservation = await insertRewardRedemption(client, {
      id,
      rewardId: reward.id,
      kind: 'reservation',
      status: 'reserved',
      memberId: null,
      code,
      points: 0,
      attributes: {},
      reservedUntil,
      producer: actor,
    });
    const command: ReservationCreatedCommand = {
      workflowId: `expire-reservation-${id}`,
      reservationId: id,
      expiresAt: reservedUntil.toISOString(),
    };
    await enqueueOutbox(client, 'reservation.created', command);
    return reservation;
  });
}

/** Gives a reserved code to a member, as a redemption (points debited) or an award, before the reservation expires. */
export async function assignReservation(
  ctx: AppContext,
  id: string,
  request: RedeemRequest & { as: 'redemption' | 'award' },
  actor: string,
): Promise<RewardRedemption> {
  return ctx.db.transaction(async (client) => {
    const findReservation = async (reservationId: string) => {
      const found = await findRewardRedemption(client, reservationId, true);
      return found?.kind === 'reservation' ? found : null;
    };
    const reservation = await loadOrNotFound(id, findReservation, {
      code: 'reservation_not_found',
      message: `no reservation "${id}"`,
      field: 'id',
    });
    if (reservation.status !== 'reserved' || (reservation.reservedUntil && reservation.reservedUntil.getTime() <= Date.now())) {
      throw new DomainError(
        'conflict',
        'reservation_not_open',
        `the reservation is ${reservation.status === 'reserved' ? 'expired' : reservation.status}`,
        'id',
      );
    }
    // The code may have been cancelled (or have expired) while reserved: it is then not handed out.
    const code = await findCode(client, reservation.code, true);
    if (code?.status !== 'reserved')
      throw new DomainError('conflict', 'code_not_reserved', `the reserved code is ${code?.status ?? 'gone'}; it can't be assigned`, 'id');
    if (code.expiresAt && code.expiresAt.getTime() <= Date.now())
      throw new DomainError('conflict', 'code_expired', 'the reserved code has expired; it can not be assigned', 'id');
    const reward = await loadReward(client, reservation.rewardId);
    const attributes = checkAttributes(reward, request.attributes);
    const member = await lockEligibleMember(client, reward, request.memberId);
    await setCodeStatus(client, reservation.code, 'unused'); // giveCode records unused → redeemed/awarded
    await giveCode(client, reward, member, reservation.code, request.as, id, attributes, actor);
    return updateRewardRedemption(client, id, {
      status: request.as === 'redemption' ? 'redeemed' : 'awarded',
      memberId: member.id,
      points: request.as === 'redemption' ? reward.pointsCost : 0,
      attributes,
    });
  });
}
