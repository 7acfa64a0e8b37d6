import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import type { RunningTemporal } from '../../runtime/temporal-dev-server';
import { addCodes, addMembers, campaignRequest, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { startOwnTemporal } from '../support/own-temporal';
import { campaignWorkflowId, lifecycleQuery } from '../../workflows/campaign-lifecycle-definitions';
import { createReservationActivities } from '../../activities/reservations';

/**
 * Temporal frozen (SIGSTOP: the server holds every connection and answers nothing, the worst kind of outage)
 * while the product keeps running: campaign changes are decided in PostgreSQL and hold at once; the workflows
 * catch up from the outbox after the thaw. The figures are printed for the runbook (the machine is shared, so
 * they are compared with a baseline of the same run, never asserted).
 */
let temporal: RunningTemporal & { cleanUp(): Promise<void> };
let system: TestSystem;
const marketer = () => system.as('marketer');
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  temporal = await startOwnTemporal('temporal-frozen-');
  system = await startTestSystem({ temporalAddress: temporal.address, env: { OUTBOX_RELAY_INTERVAL_MS: '50' } });
  await createCodeEventSchema(system);
});
afterAll(async () => {
  if (temporal?.process.pid) process.kill(temporal.process.pid, 'SIGCONT');
  await system?.stop();
  await temporal?.cleanUp();
});

/** The workflow's view once it agrees with the row (status, version, next timer), else null. */
async function agreeing(id: string) {
  const row = (await system.api.get(`/v1/campaigns/${id}`).set(marketer())).body;
  const view = await system.temporal.workflow
    .getHandle(campaignWorkflowId(id, system.config.workflowIdPrefix))
    .query(lifecycleQuery)
    .catch(() => null);
  return view && view.status === row.status && view.version === row.version && view.endsAt === (row.endsAt ?? null) ? view : null;
}

const p99 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.99) - 1];

/** 100 events in 4 lanes (each lane waits for its answer), with `alongside` running at the same time. */
async function timedEvents(prefix: string, alongside: () => Promise<unknown> = async () => undefined) {
  const latencies: number[] = [];
  const lane = async (l: number) => {
    for (let i = l; i < 100; i += 4) {
      const started = performance.now();
      const answer = await postEvent(system, `${prefix}-${i}`, `${prefix}-m${i}`, `${prefix.toUpperCase()}${i}`);
      latencies.push(performance.now() - started);
      expect(answer.body.outcome).toBe('redeemed');
    }
  };
  await Promise.all([...[0, 1, 2, 3].map(lane), alongside()]);
  return p99(latencies);
}

it('with Temporal frozen a create, a pause, a resume and a date change hold at once; the workflows catch up after the thaw', async () => {
  await createCampaign(system, 'frozen-pause', { endsAt: inSeconds(3600) });
  await createCampaign(system, 'frozen-events');
  await addCodes(system, 'frozen-pause', ['FROZEN1', 'FROZEN2']);
  await addMembers(system, ['frozen-m1', 'frozen-m2']);
  for (const prefix of ['base', 'outage']) {
    await addCodes(
      system,
      'frozen-events',
      Array.from({ length: 100 }, (_, i) => `${prefix.toUpperCase()}${i}`),
    );
    await addMembers(
      system,
      Array.from({ length: 100 }, (_, i) => `${prefix}-m${i}`),
    );
  }
  await system.api.post('/v1/rewards').set(marketer()).send({ id: 'frozen-reward', name: 'r', type: 'coupon', pointsCost: 0 });
  await system.db.query(
    `insert into codes (code, pool_id) select 'FROZENRES' || n, id from code_pools, generate_series(1, 30) n where kind = 'bank'`,
  );
  await eventually(async () => (await agreeing('frozen-pause')) && (await agreeing('frozen-events')));
  const baselineP99 = await timedEvents('base');

  process.kill(temporal.process.pid!, 'SIGSTOP');
  const frozenAt = Date.now();
  const created = await system.api.post('/v1/campaigns').set(marketer()).send(campaignRequest('frozen-new'));
  expect([created.status, created.body.status]).toEqual([201, 'active']);

  let started = performance.now();
  const paused = await system.api.patch('/v1/campaigns/frozen-pause').set(marketer()).send({ status: 'paused' });
  const pauseMs = performance.now() - started;
  expect([paused.status, paused.body.status]).toEqual([200, 'paused']);
  expect((await postEvent(system, 'frozen-e1', 'frozen-m1', 'FROZEN1')).body).toMatchObject({
    outcome: 'rejected',
    reason: 'campaign_inactive',
  });
  started = performance.now();
  const resumed = await system.api.patch('/v1/campaigns/frozen-pause').set(marketer()).send({ status: 'active' });
  const resumeMs = performance.now() - started;
  expect([resumed.status, resumed.body.status]).toEqual([200, 'active']);
  const endsAt = inSeconds(25);
  const moved = await system.api.patch('/v1/campaigns/frozen-pause').set(marketer()).send({ endsAt });
  expect(moved.status).toBe(200);
  expect((await postEvent(system, 'frozen-e2', 'frozen-m2', 'FROZEN2')).body.outcome).toBe('redeemed');

  // Reservations commit with their outbox row: events keep their pace while 30 are made.
  const reservations: string[] = [];
  const reserve = async () => {
    for (let i = 0; i < 30; i++) {
      const res = await system.api.post('/v1/rewards/frozen-reward/reservations').set(system.as('producer')).send({ expiresInSeconds: 2 });
      expect(res.status).toBe(201);
      reservations.push(res.body.id);
    }
  };
  const outageP99 = await timedEvents('outage', reserve);
  await sleep(Math.max(0, 10_000 - (Date.now() - frozenAt))); // frozen for 10 s at least

  process.kill(temporal.process.pid!, 'SIGCONT');
  const thawedAt = performance.now();
  const views = await eventually(async () => {
    const all = await Promise.all(['frozen-pause', 'frozen-events', 'frozen-new'].map(agreeing));
    return all.every(Boolean) && all;
  }, 60_000);
  const catchUpMs = performance.now() - thawedAt;
  expect(views[0]).toMatchObject({ status: 'active', nextTimer: { at: endsAt, to: 'ended' } });
  expect(views[2]).toMatchObject({ status: 'active', version: 1 });

  // The timer set after the thaw fires at the new date.
  await eventually(async () => (await system.api.get('/v1/campaigns/frozen-pause').set(marketer())).body.status === 'ended', 60_000);
  const { rows } = await system.db.query(`select ended_at >= ends_at as "onTime" from campaigns where id = 'frozen-pause'`);
  expect(rows[0].onTime).toBe(true);
  // Every reservation's expiry was started from the outbox and freed its code.
  await eventually(async () => {
    const { rows: open } = await system.db.query(
      `select count(*)::int as n from reward_redemptions where id = any($1) and status <> 'expired'`,
      [reservations],
    );
    return open[0].n === 0;
  }, 60_000);

  console.log(
    `temporal-outage figures (loaded machine): pause ${pauseMs.toFixed(0)} ms, resume ${resumeMs.toFixed(0)} ms with Temporal frozen; ` +
      `events p99 ${outageP99.toFixed(0)} ms while 30 reservations were made frozen vs ${baselineP99.toFixed(0)} ms baseline ` +
      `(ratio ${(outageP99 / baselineP99).toFixed(2)}); every workflow agreed with its row ${(catchUpMs / 1000).toFixed(1)} s after the thaw`,
  );
});

it('an expiry that fires before the reservation is due frees nothing yet and fails, to be retried until it is due', async () => {
  await system.db.query(`insert into codes (code, pool_id) select 'EARLYRES1', id from code_pools where kind = 'bank'`);
  await system.api.post('/v1/rewards').set(marketer()).send({ id: 'early-reward', name: 'r', type: 'coupon', pointsCost: 0 });
  const res = await system.api.post('/v1/rewards/early-reward/reservations').set(system.as('producer')).send({ expiresInSeconds: 2 });
  expect(res.status).toBe(201);
  const { expireReservation } = createReservationActivities(system.db);
  await expect(expireReservation(res.body.id)).rejects.toMatchObject({ type: 'NotDueYet' });
  const status = async () => (await system.db.query(`select status from reward_redemptions where id = $1`, [res.body.id])).rows[0].status;
  expect(await status()).toBe('reserved');
  await sleep(2100);
  // Due now: freed (by this call, or by the workflow the relay started, whichever came first).
  await expireReservation(res.body.id);
  expect(await status()).toBe('expired');
  const code = await system.db.query(`select status from codes where code = $1`, [res.body.code]);
  expect(code.rows[0].status).toBe('unused');
});
