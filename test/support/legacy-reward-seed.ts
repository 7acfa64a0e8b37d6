/**
 * The seed help page's reward, the parts both the adapter's unit test and the rewards API test send as they are.
 * Functions, so each test gets a copy of its own to break.
 */

export const seedEligibilityRules = (): Array<Record<string, unknown>> => [
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
];

export const seedTransactionAttributes = (): Array<Record<string, unknown>> => [
  {
    attribute_name: 'Source Of Redemption',
    attribute_type: 'Text',
    attribute_id: 'source_of_redemption',
    is_attribute_mandatory: 'False',
  },
];
