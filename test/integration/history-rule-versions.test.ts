import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, anyoneRule, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { historyHelpers, principalOf } from '../support/history';

/** Issue 24, history: each change of a campaign's rules is a version of its own, which a restore brings back. */
let system: TestSystem;
const { post, auditCount } = historyHelpers(() => system);

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
});
afterAll(() => system?.stop());

describe('rule versions', () => {
  const goldOnly = {
    name: 'gold only',
    conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold'] }] },
    effects: [{ type: 'add_points', points: 50 }],
  };
  const codes = ['VERSION01', 'VERSION02', 'VERSION03', 'VERSION04'];
  const rulesVersionOf = async (eventId: string) =>
    (await system.api.get(`/v1/events/${eventId}`).set(system.as('marketer'))).body.rulesVersion as number;

  beforeAll(async () => {
    await createCampaign(system, 'versions', { rules: [goldOnly] });
    await addCodes(system, 'versions', codes);
    await addMembers(system, ['v-silver'], { tier: 'silver' });
  });

  it('a restore makes the old rules decide again, as a new version; each event records the version that decided it', async () => {
    expect((await postEvent(system, 'v-1', 'v-silver', codes[0])).body).toMatchObject({
      outcome: 'rejected',
      reason: 'conditions_not_met',
    });
    expect(await rulesVersionOf('v-1')).toBe(1);

    const patched = await system.api
      .patch('/v1/campaigns/versions')
      .set(system.as('marketer'))
      .send({ rules: [anyoneRule] });
    expect(patched.body.rulesVersion).toBe(2);
    expect((await postEvent(system, 'v-2', 'v-silver', codes[1])).body.outcome).toBe('redeemed');
    expect(await rulesVersionOf('v-2')).toBe(2);

    const restored = await post('marketer', '/v1/campaigns/versions/rule-versions/1/restore').set('If-Match', `"${patched.body.version}"`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ rulesVersion: 3, rules: [goldOnly] });
    expect((await postEvent(system, 'v-3', 'v-silver', codes[2])).body).toMatchObject({
      outcome: 'rejected',
      reason: 'conditions_not_met',
    });
    expect(await rulesVersionOf('v-3')).toBe(3);

    const versions = (await system.api.get('/v1/campaigns/versions/rule-versions').set(system.as('operator'))).body;
    expect(versions.current).toBe(3);
    expect(versions.versions.map((v: { version: number; restoredFrom: number | null }) => [v.version, v.restoredFrom])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
    const two = await system.api.get('/v1/campaigns/versions/rule-versions/2').set(system.as('marketer'));
    expect(two.body.rules).toEqual([anyoneRule]);
    expect(two.body.createdBy).toBe(principalOf('marketer'));
    const compared = await system.api.get('/v1/campaigns/versions/rule-versions/2?against=1').set(system.as('marketer'));
    expect(compared.body.diff).toContainEqual({ path: 'rules.0.name', before: 'gold only', after: 'anyone' });
  });

  it('the what-if replay can replay a saved version', async () => {
    const res = await post('marketer', '/v1/campaigns/versions/replay').send({ rulesVersion: 2 });
    expect(res.status).toBe(200);
    expect(res.body.draft.redeemed).toBeGreaterThan(res.body.current.redeemed);
    expect((await post('marketer', '/v1/campaigns/versions/replay').send({ rulesVersion: 99 })).body.error.code).toBe(
      'rule_version_not_found',
    );
  });

  it('a restore from a stale read is refused (412), an unknown version is a 404, and neither leaves history', async () => {
    const before = await auditCount();
    const stale = await post('marketer', '/v1/campaigns/versions/rule-versions/2/restore').set('If-Match', '"1"');
    expect(stale.status).toBe(412);
    expect((await post('marketer', '/v1/campaigns/versions/rule-versions/42/restore')).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });
});
