import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, anyoneRule, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { addCodes as addPoolCodes, addMembersWithPoints } from '../support/fixtures';

/**
 * Issue 19: codes that expire. An expired code is refused as `code_expired` (not a guess failure; it stays unused),
 * and no coupon, reward redemption, award or reservation ever hands one out.
 */
let system: TestSystem;
const as = (role: 'marketer' | 'producer' | 'operator') => system.as(role);
const expire = (codes: string[]) => system.db.query(`update codes set expires_at = '2020-01-01T00:00:00Z' where code = any($1)`, [codes]);
const statusOf = async (code: string) => (await system.db.query(`select status from codes where code = $1`, [code])).rows[0].status;

async function createReward(id: string, pointsCost: number) {
  const res = await system.api.post('/v1/rewards').set(as('marketer')).send({ type: 'coupon_based_reward', id, name: id, pointsCost });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1' } });
  await createCodeEventSchema(system);
});
afterAll(() => system?.stop());

it('an expired code answers code_expired, stays unused, is no guess failure, and shows in stats and the simulator', async () => {
  await createCampaign(system, 'expiring');
  await addCodes(system, 'expiring', ['OLDCODE1', 'OLDCODE2', 'NEWCODE1']);
  await expire(['OLDCODE1', 'OLDCODE2']);
  await addMembers(system, ['late-shopper']);
  // LOCKOUT_MAX_FAILURES is 1: were code_expired a guess failure, the second event would answer 429.
  for (const [id, code] of [
    ['exp-1', 'OLDCODE1'],
    ['exp-2', 'OLDCODE2'],
  ]) {
    const res = await postEvent(system, id, 'late-shopper', code);
    expect([res.status, res.body.outcome, res.body.reason]).toEqual([200, 'rejected', 'code_expired']);
  }
  expect(await statusOf('OLDCODE1')).toBe('unused');
  expect((await postEvent(system, 'fresh-1', 'late-shopper', 'NEWCODE1')).body.outcome).toBe('redeemed');
  const stats = await system.api.get('/v1/campaigns/expiring/stats').set(as('marketer'));
  expect(stats.body.rejections).toMatchObject({ code_expired: 2 });
  const simulated = await system.api
    .post('/v1/campaigns/expiring/simulate')
    .set(as('marketer'))
    .send({ memberId: 'late-shopper', code: 'OLDCODE1' });
  expect(simulated.body).toMatchObject({ outcome: 'rejected', reason: 'code_expired', simulated: true });
});

it('issue_coupon skips an expired code of the reward pool', async () => {
  await createReward('coupon', 0);
  await addPoolCodes(system.db, { type: 'reward', id: 'coupon' }, ['CPNA1', 'CPNB1']);
  await expire(['CPNA1']); // first in code order
  await createCampaign(system, 'coupons', {
    rules: [{ ...anyoneRule, effects: [{ type: 'issue_coupon', rewardId: 'coupon' }] }],
  });
  await addCodes(system, 'coupons', ['COUPONTRIGGER1']);
  await addMembers(system, ['coupon-member']);
  const res = await postEvent(system, 'coupon-1', 'coupon-member', 'COUPONTRIGGER1');
  expect(res.body.effects).toEqual([{ type: 'issue_coupon', rewardId: 'coupon', code: 'CPNB1' }]);
  expect(await statusOf('CPNA1')).toBe('unused');
});

it('reward redemptions, awards and reservations never hand out an expired code', async () => {
  await createReward('gift', 10);
  await addPoolCodes(system.db, { type: 'reward', id: 'gift' }, ['GIFTA1', 'GIFTB1', 'GIFTC1']);
  await expire(['GIFTA1', 'GIFTC1']);
  await addMembersWithPoints(system.db, ['gift-member'], 100);
  const redeemed = await system.api
    .post('/v1/rewards/gift/redemptions')
    .set(as('producer'))
    .send({ memberId: 'gift-member', attributes: {} });
  expect([redeemed.status, redeemed.body.code]).toEqual([201, 'GIFTB1']);
  // Only expired codes are left (and the bank is empty).
  const award = await system.api.post('/v1/rewards/gift/awards').set(as('producer')).send({ memberId: 'gift-member', attributes: {} });
  expect([award.status, award.body.error?.code]).toEqual([409, 'no_codes_left']);
  const reservation = await system.api.post('/v1/rewards/gift/reservations').set(as('producer')).send({ expiresInSeconds: 600 });
  expect([reservation.status, reservation.body.error?.code]).toEqual([409, 'no_codes_left']);
  expect([await statusOf('GIFTA1'), await statusOf('GIFTC1')]).toEqual(['unused', 'unused']);
});

it('generation sets a batch expiry, and search filters by expired', async () => {
  const res = await system.api
    .post('/v1/code-batches')
    .set(as('operator'))
    .send({
      quantity: 5,
      length: 10,
      charset: 'alpha',
      prefix: 'GONE',
      expiresAt: '2021-06-30T00:00:00Z',
      pool: { type: 'campaign', id: 'expiring' },
    });
  expect(res.status).toBe(202);
  const batch = await eventually(async () => {
    const b = await system.api.get(`/v1/code-batches/${res.body.id}`).set(as('operator'));
    return b.body.status === 'completed' && b.body;
  });
  expect(batch.expiresAt).toBe('2021-06-30T00:00:00.000Z');
  const expired = await system.api.get('/v1/codes').query({ pool: 'campaign:expiring', expired: 'true' }).set(as('operator'));
  const expiredCodes = expired.body.codes.map((c: { code: string }) => c.code);
  expect(expiredCodes).toHaveLength(7); // OLDCODE1, OLDCODE2 and the batch's five
  expect(expiredCodes.filter((c: string) => c.startsWith('GONE'))).toHaveLength(5);
  const live = await system.api.get('/v1/codes').query({ pool: 'campaign:expiring', expired: 'false' }).set(as('operator'));
  expect(live.body.codes.map((c: { code: string }) => c.code)).toEqual(['NEWCODE1']);
  const gone = await postEvent(
    system,
    'gone-1',
    'late-shopper',
    expiredCodes.find((c: string) => c.startsWith('GONE')),
  );
  expect(gone.body.reason).toBe('code_expired');
});
