import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { WebhookReceiver } from '../support/webhook-receiver';
import { enqueueOutbox } from '../../db/outbox';

/**
 * Deliveries with the worker (and its outbox relay) in a child process: SIGKILLed mid-delivery, and a burst of
 * 5,000 messages. The redemption path does not write its outbox rows on this branch yet, so the burst writes
 * 5,000 redemption.succeeded rows through enqueueOutbox, as the decision transaction will.
 */
let system: TestSystem;
let worker: ServiceProcess | undefined;
const receivers: WebhookReceiver[] = [];
/** Messages in the burst (BURST=1000 for a quick local run). */
const TOTAL = Number(process.env.BURST ?? 5000);
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_RETRY_INITIAL_MS: '200', WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000', OUTBOX_RELAY_INTERVAL_MS: '50',
};

beforeAll(async () => {
  system = await startTestSystem({ inProcessWorker: false, env: WEBHOOK_ENV });
});
afterAll(async () => {
  await worker?.stop();
  for (const r of receivers) await r.stop();
  await system?.stop();
});

const startWorker = () =>
  startServiceProcess('worker/index.ts', {
    ...WEBHOOK_ENV,
    DATABASE_URL: system.databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: system.config.taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
  });

async function subscribe(url: string, events: string[]) {
  const res = await system.api.post('/v1/webhooks').set(system.as('marketer')).send({ url, events });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

it('a worker SIGKILLed while a delivery waits for its receiver: delivered after the restart, same id, valid signature', async () => {
  // The first request gets no answer at all (held open), so the worker dies mid-delivery.
  const receiver = await new WebhookReceiver((n) => (n === 1 ? 0 : 200)).start();
  receivers.push(receiver);
  const hook = await subscribe(receiver.url, ['reward.redeemed']);
  worker = await startWorker();
  const messageId = await system.db.transaction((c) => enqueueOutbox(c, 'reward.redeemed', { version: 1, rewardId: 'r' }));
  await eventually(async () => receiver.received.length >= 1, 30_000);
  await worker.kill();
  worker = await startWorker();
  await eventually(async () => {
    const { rows } = await system.db.query(`select status from webhook_deliveries where message_id = $1`, [messageId]);
    return rows[0]?.status === 'delivered';
  }, 60_000);
  expect(receiver.received.map((r) => r.status)).toEqual([0, 200]);
  expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([messageId]));
  for (const got of receiver.received) expect(WebhookReceiver.verify(hook.secret, got)).toMatchObject({ type: 'reward.redeemed' });
});

it('5,000 redemption.succeeded messages reach a subscribed receiver as exactly 5,000 distinct message ids', async () => {
  const receiver = await new WebhookReceiver().start();
  receivers.push(receiver);
  await subscribe(receiver.url, ['redemption.succeeded']);
  worker ??= await startWorker();
  const ids: string[] = [];
  for (let i = 0; i < TOTAL; i += 500) {
    await system.db.transaction(async (c) => {
      for (let j = i; j < i + 500; j++) ids.push(await enqueueOutbox(c, 'redemption.succeeded', { version: 1, eventId: `burst-${j}` }));
    });
  }
  await eventually(async () => new Set(receiver.received.map((r) => r.id)).size >= TOTAL, 590_000);
  expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set(ids));
  // Slow on a loaded machine (one workflow per delivery: ~12 a second at load 16 on 2 cores); BURST=1000 for a quick run.
}, 600_000);
