import { startTestSystem, type TestSystem } from './test-system';
import { addCodes, addMembersWithPoints, balanceOf } from './fixtures';

/** The test system the rewards test files start. */
export const startRewardsSystem = () => startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' } });

/**
 * What the rewards test files share, bound to a file's test system: `system` returns it once its beforeAll has
 * started it.
 */
export function rewardHelpers(system: () => TestSystem) {
  const mk = (role: 'marketer' | 'producer' | 'operator') => system().as(role);
  async function createReward(body: Record<string, unknown>) {
    const res = await system()
      .api.post('/v1/rewards')
      .set(mk('marketer'))
      .send({ type: 'coupon_based_reward', pointsCost: 100, ...body });
    if (res.status !== 201) throw new Error(`reward: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  return {
    mk,
    createReward,
    addRewardCodes: (rewardId: string, codes: string[]) => addCodes(system().db, { type: 'reward', id: rewardId }, codes),
    membersWithPoints: (ids: string[], points: number, profile = {}) => addMembersWithPoints(system().db, ids, points, profile),
    balance: (id: string) => balanceOf(system().db, id),
    redeem: (rewardId: string, memberId: string, attributes = {}) =>
      system().api.post(`/v1/rewards/${rewardId}/redemptions`).set(mk('producer')).send({ memberId, attributes }),
  };
}
