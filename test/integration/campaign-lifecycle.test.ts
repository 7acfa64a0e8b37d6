import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { WebhookReceiver } from '../support/webhook-receiver';
import { campaignWorkflowId, lifecycleQuery } from '../../workflows/campaign-lifecycle-definitions';

/** Each campaign's workflow: durable timers at startsAt/endsAt (a real server, short durations), pause, alerts, top-up. */
let system: TestSystem;
let receiver: WebhookReceiver;
const marketer = () => system.as('marketer');
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const status = async (id: string) => (await system.api.get(`/v1/campaigns/${id}`).set(marketer())).body.status as string;
/** The workflow's view; null until the relay has started it. */
const lifecycle = (id: string) =>
  system.temporal.workflow
    .getHandle(campaignWorkflowId(id, system.config.workflowIdPrefix))
    .query(lifecycleQuery)
    .catch(() => null);
const notices = (campaignId: string) => receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.data.campaignId === campaignId);

beforeAll(async () => {
  system = await startTestSystem({
    env: {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      OUTBOX_RELAY_INTERVAL_MS: '50',
      CAMPAIGN_CHECK_INTERVAL_MS: '300',
    },
  });
  receiver = await new WebhookReceiver().start();
  const hook = await system.api
    .post('/v1/webhooks')
    .set(marketer())
    .send({
      url: receiver.url,
      events: ['campaign.started', 'campaign.ended', 'campaign.paused', 'budget.threshold_reached', 'codes.running_low'],
    });
  expect(hook.status).toBe(201);
  await createCodeEventSchema(system);
});
afterAll(async () => {
  await receiver?.stop();
  await system?.stop();
});

it('a campaign scheduled 2 s ahead becomes active, then ends on time, with its final stats stored and sent', async () => {
  const created = await createCampaign(system, 'timed', { startsAt: inSeconds(2), endsAt: inSeconds(4) });
  // Decided by the create itself; the workflow, started by the outbox relay, follows with its timer.
  expect(created.status).toBe('scheduled');
  const state = await eventually(() => lifecycle('timed'));
  expect(state).toMatchObject({ status: 'scheduled', nextTimer: { at: created.startsAt, to: 'active' } });
  await eventually(async () => (await status('timed')) === 'active', 10_000);
  await eventually(async () => (await status('timed')) === 'ended', 10_000);
  const ended = (await system.api.get('/v1/campaigns/timed').set(marketer())).body;
  expect(ended.finalStats).toMatchObject({ codes: { total: 0 }, redemptions: 0 });
  await eventually(async () => notices('timed').length >= 2);
  expect(notices('timed').map((n) => n.type)).toEqual(['campaign.started', 'campaign.ended']);
  expect(notices('timed')[1].data).toMatchObject({ version: 1, stats: { redemptions: 0 } });
  // Ended is final.
  const again = await system.api.patch('/v1/campaigns/timed').set(marketer()).send({ status: 'active' });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('campaign_ended');
});

it('a PATCH moving endsAt earlier ends the campaign then', async () => {
  await createCampaign(system, 'shortened', { endsAt: inSeconds(3600) });
  expect(await status('shortened')).toBe('active');
  const patched = await system.api
    .patch('/v1/campaigns/shortened')
    .set(marketer())
    .send({ endsAt: inSeconds(1.5) });
  expect(patched.status).toBe(200);
  expect(patched.body.status).toBe('active');
  const state = await eventually(async () => {
    const view = await lifecycle('shortened');
    return view?.version === patched.body.version && view;
  });
  expect(state.nextTimer).toEqual({ at: patched.body.endsAt, to: 'ended' });
  await eventually(async () => (await status('shortened')) === 'ended', 10_000);
});

it('pause and resume answer with the stored status; a paused campaign redeems nothing', async () => {
  await createCampaign(system, 'pausable');
  await addCodes(system, 'pausable', ['PAUSE1', 'PAUSE2']);
  await addMembers(system, ['pauser']);
  const paused = await system.api.patch('/v1/campaigns/pausable').set(marketer()).send({ status: 'paused' });
  expect(paused.body.status).toBe('paused');
  expect((await postEvent(system, 'pause-e1', 'pauser', 'PAUSE1')).body).toMatchObject({
    outcome: 'rejected',
    reason: 'campaign_inactive',
  });
  const resumed = await system.api.patch('/v1/campaigns/pausable').set(marketer()).send({ status: 'active' });
  expect(resumed.body.status).toBe('active');
  expect((await postEvent(system, 'pause-e2', 'pauser', 'PAUSE2')).body).toMatchObject({ outcome: 'redeemed' });
  await eventually(async () => notices('pausable').length >= 3);
  // Delivered in parallel: ordered by when each change was written.
  const inOrder = notices('pausable').sort((a, b) => a.data.at.localeCompare(b.data.at));
  expect(inOrder.map((n) => [n.type, n.data.resumed])).toEqual([
    ['campaign.started', false],
    ['campaign.paused', undefined],
    ['campaign.started', true],
  ]);
});

it('sends the budget thresholds and the low-stock alert once each', async () => {
  await createCampaign(system, 'watched', { budget: { kind: 'points', cap: 100 }, alerts: { budgetThresholds: [50, 100], codesBelow: 3 } });
  const codes = Array.from({ length: 6 }, (_, i) => `WATCH${i}`);
  await addCodes(system, 'watched', codes);
  await addMembers(
    system,
    codes.map((c) => `w-${c}`),
  );
  for (const code of codes.slice(0, 5)) expect((await postEvent(system, `e-${code}`, `w-${code}`, code)).body.outcome).toBe('redeemed');
  await eventually(async () => notices('watched').filter((n) => n.type !== 'campaign.started').length >= 2);
  await new Promise((r) => setTimeout(r, 1000)); // a few more checks: nothing is sent twice
  const alerts = notices('watched').filter((n) => n.type !== 'campaign.started');
  expect(alerts.map((n) => [n.type, n.data.threshold]).sort()).toEqual([
    ['budget.threshold_reached', 50],
    ['codes.running_low', 3],
  ]);
  expect(alerts.find((n) => n.type === 'codes.running_low').data.unused).toBeLessThan(3);
});

it('tops up codes with a child generation, one at a time, up to the ceiling', async () => {
  const res = await system.api
    .post('/v1/campaigns')
    .set(marketer())
    .send({
      id: 'topped',
      name: 'topped',
      status: 'active',
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [
        {
          name: 'any',
          conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
          effects: [{ type: 'add_points', points: 1 }],
        },
      ],
      codes: { generate: { quantity: 2, length: 10, charset: 'numeric' } },
      topUp: { below: 50, quantity: 10, max: 20 },
    });
  expect(res.status).toBe(201);
  const count = async () =>
    (await system.db.query(`select count(*)::int as n from codes k join code_pools p on p.id = k.pool_id where p.owner_id = 'topped'`))
      .rows[0].n as number;
  // Still below 50 after each top-up, so it tops up again, until the ceiling of 20 generated codes.
  await eventually(async () => (await count()) === 22, 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await count()).toBe(22);
  const { rows } = await system.db.query(`select requested, status from code_batches where created_by = 'top-up'`);
  expect(rows).toEqual([
    { requested: 10, status: 'completed' },
    { requested: 10, status: 'completed' },
  ]);
  const state = await lifecycle('topped');
  expect(state?.topUp).toEqual({ running: false, generated: 20 });
});
