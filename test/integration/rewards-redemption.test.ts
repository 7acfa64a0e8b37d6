import { eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { addCodes as addPoolCodes, codeStatus } from '../support/fixtures';
import { rewardHelpers, startRewardsSystem } from '../support/rewards';

/** Redeeming, awarding and reserving a reward's codes, and rolling redemptions back. Eligibility: rewards-eligibility.test.ts. */
let system: TestSystem;
beforeAll(async () => {
  system = await startRewardsSystem();
});
afterAll(() => system?.stop());

const { mk, createReward, addRewardCodes, membersWithPoints, balance, redeem } = rewardHelpers(() => system);

describe('redeem, award, bank, concurrency', () => {
  it('200 concurrent redemptions of a reward with 50 codes: 50 succeed, 150 no_codes_left, nobody debited without a code', async () => {
    await createReward({ id: 'mug', name: 'Mug', pointsCost: 100 });
    await addRewardCodes(
      'mug',
      Array.from({ length: 50 }, (_, i) => `MUG${i}`),
    );
    const members = Array.from({ length: 200 }, (_, i) => `buyer-${i}`);
    await membersWithPoints(members, 100);
    const results = await Promise.all(members.map((m) => redeem('mug', m)));
    const won = results.filter((r) => r.status === 201);
    expect(won.length).toBe(50);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'no_codes_left').length).toBe(150);
    expect(new Set(won.map((r) => r.body.code)).size).toBe(50);
    const debited = (await system.db.query(`select count(*)::int as n from members where id = any($1) and balance = 0`, [members])).rows[0]
      .n;
    expect(debited).toBe(50);
    const reward = await system.api.get('/v1/rewards/mug').set(mk('operator'));
    expect(reward.body.certificates).toEqual({ total: 50, unused: 0, issued: 50, redeemed: 50 });
  });

  it('a member with points for one, racing two redemptions: exactly one, balance never negative', async () => {
    await createReward({ id: 'cap', name: 'Cap', pointsCost: 100 });
    await addRewardCodes('cap', ['CAP1', 'CAP2', 'CAP3']);
    await membersWithPoints(['racer'], 100);
    const results = await Promise.all([redeem('cap', 'racer'), redeem('cap', 'racer')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('insufficient_points');
    expect(await balance('racer')).toBe(0);
  });

  it('falls back to the bank, awards without a debit, and refuses a missing mandatory attribute', async () => {
    await createReward({
      id: 'tote',
      name: 'Tote',
      pointsCost: 10,
      transactionAttributes: [{ id: 'store', name: 'Store', type: 'text', mandatory: true }],
    });
    await addPoolCodes(system.db, 'bank', ['BANK0001']);
    await membersWithPoints(['shopper'], 50);
    const missing = await redeem('tote', 'shopper');
    expect([missing.status, missing.body.error.code, missing.body.error.field]).toEqual([400, 'missing_attribute', 'attributes.store']);
    const ok = await redeem('tote', 'shopper', { store: 'paris' });
    expect([ok.status, ok.body.code]).toEqual([201, 'BANK0001']);
    expect(await balance('shopper')).toBe(40);
    const tx = await system.api.get('/v1/members/shopper/transactions').set(mk('operator'));
    expect(tx.body.transactions[0]).toMatchObject({ kind: 'debit', points: 10, attributes: { store: 'paris' } });
    await addRewardCodes('tote', ['TOTE1']);
    const award = await system.api
      .post('/v1/rewards/tote/awards')
      .set(mk('operator'))
      .send({ memberId: 'shopper', attributes: { store: 'lyon' } });
    expect([award.status, award.body.status, award.body.code]).toEqual([201, 'awarded', 'TOTE1']);
    expect(await balance('shopper')).toBe(40);
  });
});

describe('reservations and rollback', () => {
  it('an unassigned reservation expires on its timer and frees the code; an assigned one does not', async () => {
    await createReward({ id: 'pen', name: 'Pen', pointsCost: 5 });
    await addRewardCodes('pen', ['PEN1', 'PEN2']);
    const short = await system.api.post('/v1/rewards/pen/reservations').set(mk('producer')).send({ expiresInSeconds: 2 });
    expect([short.status, short.body.status]).toEqual([201, 'reserved']);
    const code = (c: string) => codeStatus(system.db, c);
    expect(await code(short.body.code)).toBe('reserved');
    const long = await system.api.post('/v1/rewards/pen/reservations').set(mk('producer')).send({ expiresInSeconds: 600 });
    await membersWithPoints(['writer'], 5);
    const assigned = await system.api
      .post(`/v1/redemptions/${long.body.id}/assign`)
      .set(mk('producer'))
      .send({ memberId: 'writer', as: 'redemption' });
    expect([assigned.status, assigned.body.status, assigned.body.memberId]).toEqual([200, 'redeemed', 'writer']);
    expect(await balance('writer')).toBe(0);
    await eventually(async () => (await code(short.body.code)) === 'unused', 30_000);
    const late = await system.api
      .post(`/v1/redemptions/${short.body.id}/assign`)
      .set(mk('producer'))
      .send({ memberId: 'writer', as: 'award' });
    expect([late.status, late.body.error.code]).toEqual([409, 'reservation_not_open']);
    expect(await code(long.body.code)).toBe('redeemed');
  });

  it('rolls a reward redemption back once; the second time changes nothing', async () => {
    await createReward({ id: 'book', name: 'Book', pointsCost: 30 });
    await addRewardCodes('book', ['BOOK1']);
    await membersWithPoints(['reader'], 30);
    const r = await redeem('book', 'reader');
    const first = await system.api.post(`/v1/redemptions/${r.body.id}/rollback`).set(mk('operator')).send({ reason: 'returned' });
    expect([first.status, first.body.status]).toEqual([200, 'rolled_back']);
    expect(await balance('reader')).toBe(30);
    expect((await system.db.query(`select status, member_id from codes where code = 'BOOK1'`)).rows[0]).toEqual({
      status: 'unused',
      member_id: null,
    });
    const second = await system.api.post(`/v1/redemptions/${r.body.id}/rollback`).set(mk('operator')).send({ reason: 'again' });
    expect([second.status, second.body.status]).toEqual([200, 'rolled_back']);
    expect(await balance('reader')).toBe(30);
    expect((await system.db.query(`select count(*)::int as n from point_transactions where member_id = 'reader'`)).rows[0].n).toBe(3);
  });

  it('issues a coupon from a campaign, and rolls the campaign redemption back: points, budget, frequency, codes', async () => {
    await createCodeEventSchema(system);
    await createReward({ id: 'voucher', name: 'Voucher', pointsCost: 0 });
    await addRewardCodes('voucher', ['VOUCHER1', 'VOUCHER2']);
    await createCampaign(system, 'coupons', {
      rules: [
        {
          name: 'all',
          conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
          effects: [
            { type: 'add_points', points: 20 },
            { type: 'issue_coupon', rewardId: 'voucher' },
          ],
        },
      ],
      frequency: { count: 1, period: 'lifetime' },
      budget: { kind: 'points', cap: 20 },
    });
    await addCodes(system, 'coupons', ['COUPON1', 'COUPON2']);
    await addMembers(system, ['fan']);
    const first = await postEvent(system, 'coupon-1', 'fan', 'COUPON1');
    expect(first.body).toMatchObject({
      outcome: 'redeemed',
      effects: [
        { type: 'add_points', points: 20 },
        { type: 'issue_coupon', rewardId: 'voucher', code: 'VOUCHER1' },
      ],
    });
    expect((await system.db.query(`select status, member_id from codes where code = 'VOUCHER1'`)).rows[0]).toEqual({
      status: 'awarded',
      member_id: 'fan',
    });
    expect((await postEvent(system, 'coupon-2', 'fan', 'COUPON2')).body.reason).toBe('frequency_limit');

    const rolled = await system.api.post('/v1/redemptions/coupon-1/rollback').set(mk('operator')).send({ reason: 'fraud' });
    expect([rolled.status, rolled.body.status]).toEqual([200, 'rolled_back']);
    expect(await balance('fan')).toBe(0);
    const codes = await system.db.query(`select code, status from codes where code in ('COUPON1', 'VOUCHER1') order by code`);
    expect(codes.rows).toEqual([
      { code: 'COUPON1', status: 'unused' },
      { code: 'VOUCHER1', status: 'unused' },
    ]);
    expect((await system.db.query(`select budget_used::int as n from campaigns where id = 'coupons'`)).rows[0].n).toBe(0);
    expect((await postEvent(system, 'coupon-3', 'fan', 'COUPON2')).body.outcome).toBe('redeemed'); // frequency restored
    const again = await system.api.post('/v1/redemptions/coupon-1/rollback').set(mk('operator')).send({ reason: 'again' });
    expect(again.status).toBe(200);
    expect(await balance('fan')).toBe(20);
  });
});
