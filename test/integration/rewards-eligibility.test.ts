import { eventually, type TestSystem } from '../support/test-system';
import { addMembers } from '../support/campaign-setup';
import { rewardHelpers, startRewardsSystem } from '../support/rewards';
import { seedEligibilityRules, seedTransactionAttributes } from '../support/legacy-reward-seed';

/** Which members a reward is for, and rewards imported in the legacy shape. Redemptions: rewards-redemption.test.ts. */
let system: TestSystem;
beforeAll(async () => {
  system = await startRewardsSystem();
});
afterAll(() => system?.stop());

const { mk, createReward } = rewardHelpers(() => system);

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

// Its eligibility check reads member 'cd', added by the eligibility block above: keep the two in one file.
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
    member_eligibility_rules: seedEligibilityRules(),
    custom_transaction_attributes: seedTransactionAttributes(),
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
