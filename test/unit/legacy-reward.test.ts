import { fromLegacyReward } from '../../rules/legacy-reward';
import { validateConditions } from '../../rules/validate-rules';
import { seedEligibilityRules, seedTransactionAttributes } from '../support/legacy-reward-seed';

/** The legacy vendor sample, made valid JSON (its original has trailing commas, curly quotes and a missing comma). */
const sample = () => ({
  id: '5087ffaabbccy677ffc7995f',
  reward_id: '$5_OFF',
  reward_name: '$5 OFF',
  is_active: 'True',
  reward_type: 'coupon_based_reward',
  reward_sub_type: 'fixed_amount_discount',
  show_on_guest_dashboard: 'True',
  reward_card_background_image_url: 'https://d1qbqkkh49kht1.cloudfront.net/fb112084ec96f50e717a86bb8d52d589.png',
  enduser_reward_short_description: '$5 OFF for 500 points',
  enduser_reward_confirmation_html: '<div>500 points will be redeemed.<br>Confirm?</div>',
  enduser_reward_post_confirmation_html: '<div>500 points have been redeemed.<br>Here is your code.</div>',
  points_to_be_redeemed: '500',
  reward_value: '$5',
  coupons_info: {
    total_coupons: '102',
    issued_coupons: '4',
    redeemed_coupons: '0',
    coupons: ['XVFDGT56RT', 'XVFDGT90UT', 'XVFDGT89GH', 'XVFDGT78EW'],
  },
  member_eligibility_rules: seedEligibilityRules(),
  custom_transaction_attributes: seedTransactionAttributes(),
  last_modified_date: '12/29/2021 16:47:40',
  created_date: '10/13/2019 01:47:40',
});

type Sample = ReturnType<typeof sample>;
const convert = (change: (s: Sample & Record<string, unknown>) => void) => {
  const s = sample();
  change(s);
  return fromLegacyReward(s);
};
const conditionsOf = (s: Sample, group = 0) => s.member_eligibility_rules[group].conditions as unknown[];
/** The refused fields, in order. */
const fields = (result: ReturnType<typeof fromLegacyReward>) => (result.ok ? [] : result.errors.map((e) => e.field));
const member = (path: string, operator: string, value: unknown) => ({ fact: 'member', path, operator, value });

describe('fromLegacyReward', () => {
  it('converts the vendor sample into the native reward', () => {
    const result = fromLegacyReward(sample());
    expect(result).toEqual({
      ok: true,
      reward: {
        id: '$5_OFF',
        name: '$5 OFF',
        active: true,
        type: 'coupon_based_reward',
        subType: 'fixed_amount_discount',
        shownToGuests: true,
        imageUrl: 'https://d1qbqkkh49kht1.cloudfront.net/fb112084ec96f50e717a86bb8d52d589.png',
        shortDescription: '$5 OFF for 500 points',
        confirmationHtml: '<div>500 points will be redeemed.<br>Confirm?</div>',
        postConfirmationHtml: '<div>500 points have been redeemed.<br>Here is your code.</div>',
        pointsCost: 500,
        value: '$5',
        displayOrder: 0,
        eligibility: [
          {
            name: 'Group 1',
            conditions: {
              all: [member('$.enrolledAt', 'between', ['2021-11-01', '2023-02-28']), member('$.tags', 'containsAllOf', ['cohortA'])],
            },
          },
          { name: 'Group 2', conditions: { all: [member('$.tags', 'containsAllOf', ['cohortC', 'cohortD'])] } },
        ],
        transactionAttributes: [{ id: 'source_of_redemption', name: 'Source Of Redemption', type: 'text', mandatory: false }],
      },
      ignored: [
        'id',
        'coupons_info',
        'member_eligibility_rules.0.show_on_member_dashboard',
        'member_eligibility_rules.0.include_in_api_response',
        'member_eligibility_rules.1.show_on_member_dashboard',
        'member_eligibility_rules.1.include_in_api_response',
        'last_modified_date',
        'created_date',
      ],
    });
    if (result.ok)
      result.reward.eligibility.forEach((g, i) => expect(() => validateConditions(g.conditions, `eligibility.${i}`)).not.toThrow());
  });

  it('takes booleans and integers as well as their legacy strings, and OR groups as any', () => {
    const result = convert((s) => {
      s.is_active = false as never;
      s.show_on_guest_dashboard = 'fALSE';
      s.points_to_be_redeemed = 0 as never;
      s.member_eligibility_rules = [
        {
          conditions: [
            { operator: 'is', attribute: 'Tier', value: 'gold' },
            'or',
            { operator: 'Contain any of', attribute: 'Segment', value: ['vip'] },
            'OR',
            { operator: 'BETWEEN', attribute: 'Enrollment Date', value: '2/29/2024 - 12/31/2024' },
          ],
        },
      ];
    });
    expect(result).toMatchObject({
      ok: true,
      reward: {
        active: false,
        shownToGuests: false,
        pointsCost: 0,
        eligibility: [
          {
            name: 'Group 1',
            conditions: {
              any: [
                member('$.tier', 'equal', 'gold'),
                member('$.segments', 'containsAnyOf', ['vip']),
                member('$.enrolledAt', 'between', ['2024-02-29', '2024-12-31']),
              ],
            },
          },
        ],
      },
    });
  });

  it.each<[string, (s: Sample & Record<string, unknown>) => void, string]>([
    ['an unknown top-level field', (s) => (s.reward_category = 'food'), 'reward_category'],
    ['a boolean written as "yes"', (s) => (s.is_active = 'yes'), 'is_active'],
    ['points that are not digits', (s) => (s.points_to_be_redeemed = '5OO'), 'points_to_be_redeemed'],
    [
      'a range with a day that does not exist',
      (s) => (conditionsOf(s)[0] = { operator: 'Between', attribute: 'Enrolment Date', value: '2/30/2023-3/1/2023' }),
      'member_eligibility_rules.0.conditions.0.value',
    ],
    [
      'an unknown operator',
      (s) => (conditionsOf(s)[2] = { operator: 'Starts with', attribute: 'User Tags', value: ['x'] }),
      'member_eligibility_rules.0.conditions.2.operator',
    ],
    [
      'an unknown attribute',
      (s) => (conditionsOf(s, 1)[0] = { operator: 'Contain all of', attribute: 'Favourite Colour', value: ['x'] }),
      'member_eligibility_rules.1.conditions.0.attribute',
    ],
    [
      'AND and OR mixed in one group',
      (s) => conditionsOf(s).push('OR', { operator: 'Is', attribute: 'Tier', value: 'gold' }),
      'member_eligibility_rules.0.conditions',
    ],
    [
      'an unknown attribute type',
      (s) => (s.custom_transaction_attributes[0].attribute_type = 'Currency'),
      'custom_transaction_attributes.0.attribute_type',
    ],
    [
      'an operator that can never hold for its attribute',
      (s) => (conditionsOf(s)[2] = { operator: 'Greater than', attribute: 'User Tags', value: 3 }),
      'member_eligibility_rules.0.conditions.2.operator',
    ],
    ['a connector that is neither AND nor OR', (s) => (conditionsOf(s)[1] = 'NOR'), 'member_eligibility_rules.0.conditions.1'],
    ['a native rule the legacy value breaks', (s) => (s.reward_card_background_image_url = 'not a url'), 'imageUrl'],
  ])('refuses %s, naming the field', (_, change, field) => {
    const result = convert(change);
    expect(result).toEqual({ ok: false, errors: [{ field, message: expect.any(String) }] });
  });

  it('reads names that are Object.prototype keys as unknown', () => {
    const result = convert((s) => (conditionsOf(s)[2] = { operator: 'constructor', attribute: 'toString', value: ['x'] }));
    expect(fields(result)).toEqual([
      'member_eligibility_rules.0.conditions.2.attribute',
      'member_eligibility_rules.0.conditions.2.operator',
    ]);
  });

  it('names a missing required field once, with its legacy name in the message', () => {
    const result = convert((s) => {
      delete (s as Partial<Sample>).reward_id;
      delete (s as Partial<Sample>).points_to_be_redeemed;
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'id', message: expect.stringContaining('reward_id') },
        { field: 'pointsCost', message: expect.stringContaining('points_to_be_redeemed') },
      ],
    });
  });

  it('reports every problem of a reward at once', () => {
    const result = convert((s) => {
      s.is_active = 'yes';
      s.points_to_be_redeemed = '5OO';
      s.reward_category = 'food';
      s.reward_id = 'five dollars off';
      conditionsOf(s)[0] = { operator: 'Between', attribute: 'Enrolment Date', value: '2/30/2023-3/1/2023' };
      conditionsOf(s)[2] = { operator: 'Starts with', attribute: 'Favourite Colour', value: ['x'] };
      conditionsOf(s, 1).push('OR', { operator: 'Is', attribute: 'Tier', value: 'gold' }, 'AND', {
        operator: 'Is not',
        attribute: 'Tier',
        value: 'tin',
      });
      s.custom_transaction_attributes[0].attribute_type = 'Currency';
      s.custom_transaction_attributes[0].is_attribute_mandatory = 'maybe';
    });
    expect(fields(result).sort()).toEqual(
      [
        'is_active',
        'points_to_be_redeemed',
        'reward_category',
        'member_eligibility_rules.0.conditions.0.value',
        'member_eligibility_rules.0.conditions.2.attribute',
        'member_eligibility_rules.0.conditions.2.operator',
        'member_eligibility_rules.1.conditions',
        'custom_transaction_attributes.0.attribute_type',
        'custom_transaction_attributes.0.is_attribute_mandatory',
        'id',
      ].sort(),
    );
  });

  it('refuses what is not an object', () => {
    expect(fromLegacyReward([sample()])).toEqual({ ok: false, errors: [{ field: '', message: expect.any(String) }] });
  });
});

describe('oversized lists', () => {
  it('refuses lists longer than the native shape takes, before walking them', () => {
    const huge = fromLegacyReward({
      reward_id: 'x',
      reward_name: 'x',
      reward_type: 't',
      points_to_be_redeemed: '1',
      custom_transaction_attributes: Array.from({ length: 40_000 }, () => 1),
    });
    expect(huge.ok).toBe(false);
    if (!huge.ok)
      expect(huge.errors).toEqual([expect.objectContaining({ field: 'custom_transaction_attributes', message: 'at most 50 attributes' })]);
  });
});
