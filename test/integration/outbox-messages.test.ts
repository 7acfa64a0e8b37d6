import { startTestSystem, KEYS, type TestSystem } from '../support/test-system';
import { parseApiKeys } from '../../api/auth';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/** Every decision that others must hear about leaves exactly one outbox message, in its own transaction. */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'notify');
  await addCodes(system, 'notify', ['NOTIFY1', 'NOTIFY2']);
  await addMembers(system, ['listener']);
});
afterAll(() => system?.stop());

// Event ids are unique per producer: messages about an event name the API key principal that posted it.
const PRODUCER = parseApiKeys(`producer:${KEYS.producer}`).find(KEYS.producer)!.id;
const messages = async (type: string) =>
  (await system.db.query(`select payload from outbox where type = $1 order by created_at`, [type])).rows.map((r) => r.payload);

it('a redemption writes redemption.succeeded once, a rejection nothing, a rollback redemption.rolled_back', async () => {
  expect((await postEvent(system, 'notify-1', 'listener', 'NOTIFY1')).body.outcome).toBe('redeemed');
  await postEvent(system, 'notify-1', 'listener', 'NOTIFY1'); // the same event again: no second message
  expect((await postEvent(system, 'notify-2', 'listener', 'NOTIFY1')).body.reason).toBe('code_used');
  expect(await messages('redemption.succeeded')).toEqual([
    {
      version: 1,
      eventId: 'notify-1',
      producer: PRODUCER,
      campaignId: 'notify',
      memberId: 'listener',
      code: 'NOTIFY1',
      effects: [{ type: 'add_points', points: 10, reference: `event:${PRODUCER}:notify-1:effect:0` }],
      occurredAt: expect.any(String),
    },
  ]);
  const rolled = await system.api.post('/v1/redemptions/notify-1/rollback').set(system.as('operator')).send({ reason: 'returned' });
  expect(rolled.status).toBe(200);
  await system.api.post('/v1/redemptions/notify-1/rollback').set(system.as('operator')).send({ reason: 'again' });
  expect(await messages('redemption.rolled_back')).toEqual([
    {
      version: 1,
      eventId: 'notify-1',
      producer: PRODUCER,
      campaignId: 'notify',
      memberId: 'listener',
      code: 'NOTIFY1',
      reason: 'returned',
      occurredAt: expect.any(String),
    },
  ]);
});

it('a reward redemption writes reward.redeemed', async () => {
  await system.api.post('/v1/rewards').set(system.as('marketer')).send({ id: 'notify-reward', name: 'r', type: 'coupon', pointsCost: 0 });
  await system.db.query(`insert into codes (code, pool_id) select 'NOTIFYREWARD1', id from code_pools where kind = 'bank'`);
  const res = await system.api.post('/v1/rewards/notify-reward/awards').set(system.as('producer')).send({ memberId: 'listener' });
  expect(res.status).toBe(201);
  expect(await messages('reward.redeemed')).toEqual([
    {
      version: 1,
      redemptionId: res.body.id,
      rewardId: 'notify-reward',
      memberId: 'listener',
      code: 'NOTIFYREWARD1',
      kind: 'award',
      points: 0,
      occurredAt: expect.any(String),
    },
  ]);
});
