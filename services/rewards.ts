import { DomainError } from '../model/errors';
import { loadOrNotFound } from './load-or-not-found';
import type { RewardInput } from '../model/reward';
import type { Queryable } from '../db/database';
import { findMember, type Member } from '../db/members';
import { certificateCounts, findReward, insertReward, listRewards, type Reward } from '../db/rewards';
import type { FailedCondition } from '../domain/redemption-decision';
import { evaluateRules } from '../rules/evaluate';
import { ruleFacts } from '../rules/facts';
import { RuleSetError, validateConditions } from '../rules/validate-rules';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';

/** Eligibility: no groups → everyone; otherwise all conditions of any one group must hold. */
export async function checkEligibility(
  reward: Reward,
  member: Member,
): Promise<{ eligible: boolean; failedConditions: FailedCondition[] }> {
  if (reward.eligibility.length === 0) return { eligible: true, failedConditions: [] };
  const groups = reward.eligibility.map((g, i) => ({ name: g.name ?? `group ${i + 1}`, conditions: g.conditions }));
  const verdict = await evaluateRules(groups, ruleFacts(member, { name: '', attributes: {} }, { id: '', name: '' }));
  return verdict.passed ? { eligible: true, failedConditions: [] } : { eligible: false, failedConditions: verdict.failed };
}

export async function createReward(ctx: AppContext, input: RewardInput, actor: string): Promise<Reward> {
  input.eligibility.forEach((group, i) => {
    try {
      validateConditions(group.conditions, `eligibility.${i}.conditions`);
    } catch (error) {
      if (error instanceof RuleSetError) throw new DomainError('invalid', 'invalid_rules', error.message, error.field);
      throw error;
    }
  });
  const reward = await ctx.db.transaction(async (client) => {
    const saved = await insertReward(client, input);
    if (saved) await recordChange(client, { actor, entityType: 'reward', entityId: saved.id, action: 'create', after: input });
    return saved;
  });
  if (!reward) throw new DomainError('conflict', 'reward_exists', `a reward "${input.id}" exists already`, 'id');
  return reward;
}

export async function loadReward(db: Queryable, id: string): Promise<Reward> {
  return loadOrNotFound(id, (rewardId) => findReward(db, rewardId), {
    code: 'reward_not_found',
    message: `no reward "${id}"`,
    field: 'id',
  });
}

export async function rewardWithCounts(db: Queryable, reward: Reward) {
  const { createdAt, updatedAt, ...fields } = reward;
  return {
    ...fields,
    certificates: await certificateCounts(db, reward.id),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** The active rewards a member may redeem, in display order; or, for one reward, why not. */
export async function eligibleRewards(ctx: AppContext, memberId: string, explain?: string) {
  const member = await loadOrNotFound(memberId, (id) => findMember(ctx.db, id), {
    code: 'member_not_found',
    message: `no member "${memberId}"`,
    field: 'id',
  });
  if (explain) {
    const reward = await loadReward(ctx.db, explain);
    const { eligible, failedConditions } = await checkEligibility(reward, member);
    return { rewardId: reward.id, active: reward.active, eligible: eligible && reward.active, failedConditions };
  }
  const eligible: Awaited<ReturnType<typeof rewardWithCounts>>[] = [];
  for (const reward of await listRewards(ctx.db, true)) {
    if ((await checkEligibility(reward, member)).eligible) eligible.push(await rewardWithCounts(ctx.db, reward));
  }
  return { memberId, rewards: eligible };
}
