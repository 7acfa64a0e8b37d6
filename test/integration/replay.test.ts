import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { WebhookReceiver } from '../support/webhook-receiver';
import { enqueueOutbox } from '../../db/outbox';
import { subscriptionWorkflowId } from '../../workflows/webhook-delivery-definitions';
import { createCodeEventSchema, createCampaign } from '../support/campaign-setup';
import { campaignWorkflowId } from '../../workflows/campaign-lifecycle-definitions';

/**
 * Recorded histories of every workflow, replayed against the current workflow code: a change that would break
 * running workflows (non-determinism) fails here. Histories are stored as binary protobuf: the SDK's JSON
 * converter trips over the two nested copies of protobufjs that npm installs beside gRPC's older one. `RECORD_HISTORIES=1 npx jest replay` records them afresh,
 * which is only right when a change is meant to be incompatible (and deployed with a new task queue or
 * patched()). `RECORD_HISTORIES=<label>` adds a set beside the old ones (`<workflow>.<label>.binpb`): after a
 * refactoring of workflow code, both the old histories and the new ones must replay.
 */
const FIXTURES = path.join(__dirname, '../fixtures/histories');

async function recordHistories(system: TestSystem): Promise<Record<string, Uint8Array>> {
  const op = system.as('operator');
  const done = (url: string) =>
    eventually(async () => ['completed', 'cancelled'].includes((await system.api.get(url).set(op)).body.status));
  const batch = await system.api.post('/v1/code-batches').set(op).send({ quantity: 3000, length: 10, charset: 'alphanumeric' });
  await done(`/v1/code-batches/${batch.body.id}`);
  const imported = await system.api.post('/v1/code-imports').set(op).set('Content-Type', 'text/csv').send('code\nREPLAY1\nREPLAY2\n$$\n');
  await done(`/v1/code-imports/${imported.body.id}`);
  const cancel = await system.api.post(`/v1/code-batches/${batch.body.id}/cancel`).set(op).send({ reason: 'replay fixture' });
  await done(`/v1/code-batches/${batch.body.id}`);
  await system.api.post('/v1/rewards').set(system.as('marketer')).send({ id: 'replay-reward', name: 'r', type: 'coupon', pointsCost: 0 });
  await system.db.query(`insert into codes (code, pool_id) select 'REPLAYRESERVE1', id from code_pools where kind = 'bank'`);
  const reservation = await system.api
    .post('/v1/rewards/replay-reward/reservations')
    .set(system.as('producer'))
    .send({ expiresInSeconds: 1 });
  // Started by the outbox relay once the reservation has committed (before: by the API, inside its transaction).
  await eventually(
    () =>
      system.temporal.workflow
        .getHandle(`expire-reservation-${reservation.body.id}`)
        .result()
        .then(
          () => true,
          () => false,
        ),
    20_000,
  );
  // A campaign's whole life: scheduled, started by its timer, paused, resumed, ended by its timer.
  const marketer = system.as('marketer');
  const campaignStatus = async () => (await system.api.get('/v1/campaigns/replay-campaign').set(marketer)).body.status;
  await createCodeEventSchema(system);
  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  await createCampaign(system, 'replay-campaign', { startsAt: inSeconds(1), endsAt: inSeconds(8) });
  await eventually(async () => (await campaignStatus()) === 'active', 20_000);
  await system.api.patch('/v1/campaigns/replay-campaign').set(marketer).send({ status: 'paused' });
  await system.api.patch('/v1/campaigns/replay-campaign').set(marketer).send({ status: 'active', description: 'resumed' });
  const lifecycleId = campaignWorkflowId('replay-campaign', system.config.workflowIdPrefix);
  await eventually(
    () =>
      system.temporal.workflow
        .getHandle(lifecycleId)
        .result()
        .then(
          () => true,
          () => false,
        ),
    30_000,
  );
  // A subscription's delivery workflow: a batch refused once (503), its retry after the backoff, a second message.
  const receiver = await new WebhookReceiver((n) => (n === 1 ? 503 : 200)).start();
  const hook = await system.api
    .post('/v1/webhooks')
    .set(system.as('marketer'))
    .send({ url: receiver.url, events: ['campaign.started'] });
  await system.db.transaction((c) => enqueueOutbox(c, 'campaign.started', { version: 1, campaignId: 'replay-1' }));
  await eventually(async () => receiver.received.length >= 2);
  await system.db.transaction((c) => enqueueOutbox(c, 'campaign.started', { version: 1, campaignId: 'replay-2' }));
  await eventually(async () => receiver.received.length >= 3);
  await receiver.stop();
  const retention = await system.temporal.workflow.start('retentionWorkflow', {
    taskQueue: system.config.taskQueues.bulk,
    workflowId: `${system.config.workflowIdPrefix}replay-retention`,
    args: [{ hours: { webhook_deliveries: 1, outbox: 1, idempotency_keys: 1, redemption_events: 1, code_history: 1 }, batchSize: 100 }],
  });
  await retention.result();
  const ids: Record<string, string> = {
    'webhook-subscription': subscriptionWorkflowId(hook.body.id),
    retention: retention.workflowId,
    'generate-codes': batch.body.workflowId,
    'import-codes': imported.body.workflowId,
    'cancel-code-batch': cancel.body.workflowId,
    'expire-reservation': `expire-reservation-${reservation.body.id}`,
    'campaign-lifecycle': lifecycleId,
  };
  const out: Record<string, Uint8Array> = {};
  for (const [name, workflowId] of Object.entries(ids)) {
    out[name] = temporal.api.history.v1.History.encode(await system.temporal.workflow.getHandle(workflowId).fetchHistory()).finish();
  }
  return out;
}

if (process.env.RECORD_HISTORIES) {
  it('records the workflow histories', async () => {
    const system = await startTestSystem({
      env: {
        CODE_CHUNK_SIZE: '1000',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RETRY_INITIAL_MS: '200',
        OUTBOX_RELAY_INTERVAL_MS: '50',
      },
    });
    try {
      const label = process.env.RECORD_HISTORIES === '1' ? '' : `.${process.env.RECORD_HISTORIES}`;
      for (const [name, bytes] of Object.entries(await recordHistories(system)))
        fs.writeFileSync(path.join(FIXTURES, `${name}${label}.binpb`), bytes);
    } finally {
      await system.stop();
    }
  });
}

it('replays every recorded workflow history against the current code without a determinism error', async () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.binpb'));
  expect([...new Set(files.map((f) => f.split('.')[0]))].sort()).toEqual([
    'campaign-lifecycle',
    'cancel-code-batch',
    'expire-reservation',
    'generate-codes',
    'import-codes',
    'retention',
    'webhook-subscription',
  ]);
  expect(files).toEqual(
    expect.arrayContaining([
      // Before PostgreSQL decided campaign states (the workflow wrote the status, the API waited on an Update),
      // and after (the relay signals, the workflow follows the row): both must replay.
      'campaign-lifecycle.workflow-decides.binpb',
      'campaign-lifecycle.row-decides.binpb',
      'expire-reservation.row-decides.binpb',
      'generate-codes.binpb',
      'generate-codes.chunked-job.binpb',
      'import-codes.binpb',
      'import-codes.chunked-job.binpb',
    ]),
  );
  const histories = files.map((f) => ({
    workflowId: f.replace('.binpb', ''),
    history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(FIXTURES, f))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
