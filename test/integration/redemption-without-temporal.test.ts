import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { startTemporalDevServer, type RunningTemporal } from '../../runtime/temporal-dev-server';
import { freePort } from '../../runtime/ports';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { createWorker } from '../../worker/create-worker';

/**
 * The answer path needs PostgreSQL only: with the Temporal server stopped, events are still decided, and what
 * must follow them (the outbox messages Temporal workflows carry out) waits in the database for its return.
 */
let temporal: RunningTemporal | undefined;
let system: TestSystem;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-stopped-'));
  temporal = await startTemporalDevServer({
    cliPath: process.env.TEST_TEMPORAL_CLI!,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await freePort(),
    headless: true,
  });
  system = await startTestSystem({ temporalAddress: temporal.address, inProcessWorker: false });
  await createCodeEventSchema(system);
  // A worker runs while the campaign is set up (its relay starts the campaign's workflow; the create itself
  // waits on nothing); it is gone (and so is the server) before any event is posted.
  const setupWorker = await createWorker({
    temporalAddress: temporal.address,
    namespace: system.config.temporalNamespace,
    taskQueue: system.config.taskQueue,
    db: system.db,
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  const running = setupWorker.worker.run();
  try {
    await createCampaign(system, 'offline', { budget: { kind: 'redemptions', cap: 3 } });
  } finally {
    setupWorker.worker.shutdown();
    await running;
    await setupWorker.connection.close();
  }
  await addCodes(system, 'offline', ['OFFLINE1', 'OFFLINE2', 'OFFLINE3', 'OFFLINE4']);
  await addMembers(system, ['off-1', 'off-2', 'off-3', 'off-4']);
});
afterAll(async () => {
  await system?.stop();
  await temporal?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('decides events with the Temporal server stopped, and leaves their follow-ups in the outbox', async () => {
  await temporal!.stop();
  temporal = undefined;
  const answers = [];
  for (let i = 1; i <= 4; i++) answers.push(await postEvent(system, `offline-${i}`, `off-${i}`, `OFFLINE${i}`));
  expect(answers.map((a) => [a.status, a.body.outcome, a.body.reason])).toEqual([
    [200, 'redeemed', undefined],
    [200, 'redeemed', undefined],
    [200, 'redeemed', undefined],
    [200, 'rejected', 'budget_exhausted'],
  ]);
  expect((await postEvent(system, 'offline-1', 'off-1', 'OFFLINE1')).body).toEqual(answers[0].body); // replay of the stored outcome
  const { rows } = await system.db.query(
    `select payload->>'eventId' as id from outbox where type = 'redemption.succeeded' and dispatched_at is null order by 1`,
  );
  expect(rows.map((r) => r.id)).toEqual(['offline-1', 'offline-2', 'offline-3']);
});
