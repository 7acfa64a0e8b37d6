import type { TestSystem } from './test-system';
import * as fixtures from './fixtures';

/** An event schema carrying a code, a store and an amount. */
export async function createCodeEventSchema(system: TestSystem, name = 'code_entered') {
  const res = await system.api
    .post('/v1/event-schemas')
    .set(system.as('marketer'))
    .send({
      name,
      attributes: [
        { name: 'code', type: 'text', required: true },
        { name: 'store', type: 'text' },
        { name: 'amount', type: 'number' },
      ],
    });
  if (res.status !== 201) throw new Error(`schema: ${res.status} ${JSON.stringify(res.body)}`);
}

export const goldRule = {
  name: 'gold members',
  conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold'] }] },
  effects: [{ type: 'add_points', points: 100 }],
};
export const anyoneRule = {
  name: 'anyone',
  conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
  effects: [{ type: 'add_points', points: 10 }],
};

/** The body of a create: an active campaign on code_entered whose rule anyone meets. */
export const campaignRequest = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  name: id,
  status: 'active',
  trigger: { event: 'code_entered', codeAttribute: 'code' },
  rules: [anyoneRule],
  ...fields,
});

export async function createCampaign(system: TestSystem, id: string, fields: Record<string, unknown> = {}) {
  const res = await system.api.post('/v1/campaigns').set(system.as('marketer')).send(campaignRequest(id, fields));
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Puts codes straight into a campaign's pool (generation is tested on its own). */
export function addCodes(system: TestSystem, campaignId: string, codes: string[]) {
  return fixtures.addCodes(system.db, { type: 'campaign', id: campaignId }, codes);
}

export function addMembers(system: TestSystem, ids: string[], profile: fixtures.MemberProfile = {}) {
  return fixtures.addMembers(system.db, ids, profile);
}

export function postEvent(
  system: TestSystem,
  id: string,
  memberId: string,
  code: string,
  extra: Record<string, unknown> = {},
  name = 'code_entered',
) {
  return system.api
    .post('/v1/events')
    .set(system.as('producer'))
    .send({ id, name, memberId, attributes: { code, ...extra } });
}
