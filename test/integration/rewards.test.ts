import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { addCodes as addPoolCodes, addMembersWithPoints, balanceOf, codeStatus } from '../support/fixtures';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' } });
});
afterAll(() => system?.stop());

const mk = (role: 'marketer' | 'producer' | 'operator') => system.as(role);
async function createReward(body: Record<string, unknown>) {
  const res = await system.api
    .post('/v1/rewards')
    .set(mk('marketer'))
    .send({ type: 'coupon_based_reward', pointsCost: 100, ...body });
  if (res.status !== 201) throw new Error(`reward: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const addRewardCodes = (rewardId: string, codes: string[]) => addPoolCodes(system.db, { type: 'reward', id: rewardId }, codes);
const membersWithPoints = (ids: string[], points: number, profile = {}) => addMembersWithPoints(system.db, ids, points, profile);
const balance = (id: string) => balanceOf(system.db, id);
const redeem = (rewardId: string, memberId: string, attributes = {}) =>
  system.api.post(`/v1/rewards/${rewardId}/redemptions`).set(mk('producer')).send({ memberId, attributes });

describe('eligibility', () => {
  beforeAll(async () => {
    await createReward({
      id: 'cohorts',
      name: 'Cohorts',
      eligibility: [
        {
          conditions: {
            all: [
              { fact: 'member', path: '$.enrolledAt', operator: 'between', value: ['2021-11-01', '2023-02-28'] },
              { fact: 'member', path: '$.tags', operator: 'containsAllOf', value: ['cohortA'] },
            ],
          },
        },
        { conditions: { all: [{ fact: 'member', path: '$.tags', operator: 'containsAllOf', value: ['cohortC', 'cohortD'] }] } },
      ],
    });
    await createReward({
      id: 'any-vip',
      name: 'VIP or staff',
      displayOrder: 1,
      eligibility: [{ conditions: { any: [{ fact: 'member', path: '$.tags', operator: 'containsAnyOf', value: ['vip', 'staff'] }] } }],
    });
    await addMembers(system, ['early-a'], { enrolledAt: '2022-05-01', tags: ['cohortA', 'staff'] });
    await addMembers(system, ['late-a'], { enrolledAt: '2024-01-01', tags: ['cohortA'] });
    await addMembers(system, ['cd'], { tags: ['cohortC', 'cohortD'] });
    await addMembers(system, ['c-only'], { tags: ['cohortC'] });
  });

  it.each([
    ['early-a', ['cohorts', 'any-vip']], // group 1 (dates AND tag); staff tag
    ['late-a', []], // enrolled after the range, not C and D
    ['cd', ['cohorts']], // group 2
    ['c-only', []],
  ])('%s is eligible for %j, in display order', async (member, expected) => {
    const res = await system.api.get(`/v1/members/${member}/eligible-rewards`).set(mk('producer'));
    expect(res.status).toBe(200);
    expect(res.body.rewards.map((r: { id: string }) => r.id).filter((id: string) => ['cohorts', 'any-vip'].includes(id))).toEqual(expected);
  });

  it('explains why a member is not eligible', async () => {
    const res = await system.api.get('/v1/members/late-a/eligible-rewards?explain=cohorts').set(mk('marketer'));
    expect(res.body).toMatchObject({ rewardId: 'cohorts', eligible: false });
    expect(res.body.failedConditions[0]).toMatchObject({
      rule: 'group 1',
      path: '$.enrolledAt',
      operator: 'between',
      factValue: '2024-01-01',
    });
    expect(res.body.failedConditions[1]).toMatchObject({ rule: 'group 2', path: '$.tags', operator: 'containsAllOf' });
  });
});

describe('the legacy reward shape', () => {
  const legacy = {
    id: '5087ffaabbccy677ffc7995f',
    reward_id: '$5_OFF',
    reward_name: '$5 OFF',
    is_active: 'True',
    reward_type: 'coupon_based_reward',
    reward_sub_type: 'fixed_amount_discount',
    show_on_guest_dashboard: 'True',
    reward_card_background_image_url: 'https://img.example/5off.png',
    enduser_reward_short_description: '$5 OFF for 500 points',
    enduser_reward_confirmation_html: '<div>Confirm?</div>',
    enduser_reward_post_confirmation_html: '<div>Done.</div>',
    points_to_be_redeemed: '500',
    reward_value: '$5',
    coupons_info: { total_coupons: '102', issued_coupons: '4', redeemed_coupons: '0' },
    member_eligibility_rules: [
      {
        show_on_member_dashboard: 'True',
        include_in_api_response: 'False',
        conditions: [
          { operator: 'Between', attribute: 'Enrolment Date', value: '11/1/2021-2/28/2023' },
          'AND',
          { operator: 'Contain all of', attribute: 'User Tags', value: ['cohortA'] },
        ],
      },
      {
        show_on_member_dashboard: 'True',
        include_in_api_response: 'False',
        conditions: [{ operator: 'Contain all of', attribute: 'User Tags', value: ['cohortC', 'cohortD'] }],
      },
    ],
    custom_transaction_attributes: [
      {
        attribute_name: 'Source Of Redemption',
        attribute_type: 'Text',
        attribute_id: 'source_of_redemption',
        is_attribute_mandatory: 'False',
      },
    ],
    last_modified_date: '12/29/2021 16:47:40',
    created_date: '10/13/2019 01:47:40',
  };

  it('imports the seed reward through the adapter, HTML stored as given', async () => {
    const res = await system.api.post('/v1/rewards?format=legacy').set(mk('marketer')).send(legacy);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: '$5_OFF',
      name: '$5 OFF',
      active: true,
      pointsCost: 500,
      value: '$5',
      shownToGuests: true,
      confirmationHtml: '<div>Confirm?</div>',
      transactionAttributes: [{ id: 'source_of_redemption', name: 'Source Of Redemption', type: 'text', mandatory: false }],
      certificates: { total: 0 },
    });
    expect(res.body.ignoredFields).toEqual(expect.arrayContaining(['coupons_info', 'created_date']));
    const eligible = await system.api.get('/v1/members/cd/eligible-rewards').set(mk('producer'));
    expect(eligible.body.rewards.map((r: { id: string }) => r.id)).toContain('$5_OFF');
    // Its certificate codes are imported into its pool by the same id.
    const upload = await system.api
      .post(`/v1/code-imports?pool=${encodeURIComponent('reward:$5_OFF')}`)
      .set(mk('operator'))
      .set('Content-Type', 'text/csv')
      .send('code\nXVFDGT56RT\n');
    expect(upload.status).toBe(202);
    await eventually(async () => (await system.api.get('/v1/rewards/$5_OFF').set(mk('operator'))).body.certificates.total === 1);
  });

  it('refuses what it cannot take, naming each field', async () => {
    const res = await system.api
      .post('/v1/rewards?format=legacy')
      .set(mk('marketer'))
      .send({ ...legacy, reward_id: 'other', is_active: 'yes', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('legacy_reward_refused');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['is_active', 'colour']));
  });
});

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
