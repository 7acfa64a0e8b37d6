import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { WebhookReceiver } from '../support/webhook-receiver';
import { enqueueOutbox } from '../../db/outbox';
import { createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * Task queues per kind of work: receivers that never answer fill every webhook activity slot, and a campaign's
 * pause (its row, then its lifecycle workflow) and a code generation still finish meanwhile (they run on their
 * own queues with their own slots).
 */
const WEBHOOK_SLOTS = 3;
let system: TestSystem;
let receiver: WebhookReceiver;

beforeAll(async () => {
  system = await startTestSystem({
    env: {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_TIMEOUT_MS: '120000',
      OUTBOX_RELAY_INTERVAL_MS: '50',
      WORKER_WEBHOOKS_SLOTS: String(WEBHOOK_SLOTS),
    },
  });
  // 0: the request is held open, never answered (a receiver that hangs; the worst a slow one can do).
  receiver = await new WebhookReceiver(() => 0).start();
});
afterAll(async () => {
  await receiver?.stop(); // drops the held requests: the deliveries' attempts end and the worker can stop
  await system?.stop();
});

it('with every webhook slot held by a receiver that never answers, a campaign pause and a generation still complete', async () => {
  const marketer = system.as('marketer');
  await createCodeEventSchema(system);
  await createCampaign(system, 'isolated');
  // One more subscription than there are slots, each with a message: every slot ends up waiting on the receiver.
  for (let i = 0; i <= WEBHOOK_SLOTS; i++) {
    const res = await system.api
      .post('/v1/webhooks')
      .set(marketer)
      .send({ url: `${receiver.url}?s=${i}`, events: ['code_import.completed'] });
    expect(res.status).toBe(201);
  }
  await system.db.transaction((c) => enqueueOutbox(c, 'code_import.completed', { version: 1, importId: 'held' }));
  await eventually(async () => receiver.received.length >= WEBHOOK_SLOTS);

  const paused = await system.api.patch('/v1/campaigns/isolated').set(marketer).send({ status: 'paused' });
  expect(paused.status).toBe(200);
  expect(paused.body.status).toBe('paused');
  // The pause answered from PostgreSQL; the campaign's lifecycle workflow catches up through the campaigns queue:
  // the relay signals it and it reads the row with an activity there, whose slots the hung receiver can't hold.
  const lifecycle = await eventually(async () => {
    const res = await system.api.get('/v1/campaigns/isolated/lifecycle').set(marketer);
    return res.status === 200 && res.body.version === paused.body.version ? res.body : null;
  });
  expect(lifecycle.status).toBe('paused');
  const op = system.as('operator');
  const batch = await system.api.post('/v1/code-batches').set(op).send({ quantity: 2000, length: 10, charset: 'alphanumeric' });
  expect(batch.status).toBe(202);
  await eventually(async () => (await system.api.get(`/v1/code-batches/${batch.body.id}`).set(op)).body.status === 'completed');

  // All of that happened while the webhook slots were still held: nothing was answered, none was let go.
  expect(receiver.received.length).toBe(WEBHOOK_SLOTS);
  expect(receiver.received.every((r) => r.status === 0)).toBe(true);
});
