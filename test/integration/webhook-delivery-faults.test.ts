import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { WebhookReceiver } from '../support/webhook-receiver';
import type { AddressInfo } from 'node:net';
import { enqueueOutbox } from '../../db/outbox';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * Deliveries with the worker (and its outbox relay) in a child process: SIGKILLed mid-delivery, and a burst of
 * 5,000 redemptions through the API, each writing its redemption.succeeded row in its decision transaction.
 */
let system: TestSystem;
let worker: ServiceProcess | undefined;
const receivers: WebhookReceiver[] = [];
/** Messages in the burst (BURST=1000 for a quick local run). */
const TOTAL = Number(process.env.BURST ?? 5000);
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_RETRY_INITIAL_MS: '200',
  WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000',
  OUTBOX_RELAY_INTERVAL_MS: '50',
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

it('5,000 redemptions with a webhook on redemption.succeeded, 10 % of first attempts failing: exactly 5,000 distinct ids delivered', async () => {
  // Every 10th request answers 503 the first time its message arrives; its retry (same id) is accepted.
  const seen = new Set<string>();
  const receiver = await new WebhookReceiver((n, id) => {
    if (seen.has(id)) return 200;
    seen.add(id);
    return n % 10 === 0 ? 503 : 200;
  }).start();
  receivers.push(receiver);
  const hook = await subscribe(receiver.url, ['redemption.succeeded']);
  worker ??= await startWorker();
  await createCodeEventSchema(system);
  await createCampaign(system, 'burst');
  const codes = Array.from({ length: TOTAL }, (_, i) => `BURST${i}`);
  await addCodes(system, 'burst', codes);
  await addMembers(
    system,
    codes.map((c) => `m-${c}`),
  );
  // The real API over HTTP, 16 callers: each redemption writes its outbox row in its decision transaction.
  const server = system.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < TOTAL) {
        const i = next++;
        const res = await fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: { ...system.as('producer'), 'Content-Type': 'application/json' },
          body: JSON.stringify({ id: `burst-${i}`, name: 'code_entered', memberId: `m-${codes[i]}`, attributes: { code: codes[i] } }),
        });
        expect(((await res.json()) as { outcome: string }).outcome).toBe('redeemed');
      }
    }),
  );
  server.close();
  const { rows } = await system.db.query(`select id from outbox where type = 'redemption.succeeded'`);
  expect(rows.length).toBe(TOTAL);
  const delivered = () => new Set(receiver.received.filter((r) => r.status === 200).map((r) => r.id));
  await eventually(async () => delivered().size >= TOTAL, 240_000);
  expect(delivered()).toEqual(new Set(rows.map((r: { id: string }) => r.id)));
  const refused = receiver.received.filter((r) => r.status === 503);
  expect(refused.length).toBeGreaterThan(TOTAL / 20);
  // Every refused message came again with the same id, and was accepted then.
  for (const r of refused) expect(delivered().has(r.id)).toBe(true);
  const { rows: log } = await system.db.query(
    `select status, count(*)::int as n from webhook_deliveries where subscription_id = $1 group by status`,
    [hook.id],
  );
  expect(log).toEqual([{ status: 'delivered', n: TOTAL }]);
}, 300_000);
