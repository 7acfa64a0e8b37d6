import { randomUUID } from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { WebhookReceiver, closedPort } from '../support/webhook-receiver';
import { enqueueOutbox } from '../../db/outbox';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/** Outgoing webhooks end to end: outbox row → relay → delivery workflow → a local receiver (allow settings on). */
let system: TestSystem;
const receivers: WebhookReceiver[] = [];
const marketer = () => system.as('marketer');

beforeAll(async () => {
  system = await startTestSystem({
    env: {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_INITIAL_MS: '200',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '400',
      OUTBOX_RELAY_INTERVAL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    },
  });
});
afterAll(async () => {
  for (const r of receivers) await r.stop();
  await system?.stop();
});

async function receiver(answer?: (n: number) => number, port?: number) {
  const r = await new WebhookReceiver(answer).start(port);
  receivers.push(r);
  return r;
}

async function subscribe(url: string, events: string[]) {
  const res = await system.api.post('/v1/webhooks').set(marketer()).send({ url, events, description: 'test' });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

const deliveries = async (webhookId: string) =>
  (await system.api.get(`/v1/webhooks/${webhookId}/deliveries`).set(marketer())).body.deliveries;

it('answers the secret once, and lists, changes and deletes webhooks', async () => {
  const created = await subscribe('http://127.0.0.1:9/x', ['campaign.started']);
  expect(created.secret).toMatch(/^whsec_/);
  const one = await system.api.get(`/v1/webhooks/${created.id}`).set(marketer());
  expect(one.status).toBe(200);
  expect(one.body.secret).toBeUndefined();
  const patched = await system.api
    .patch(`/v1/webhooks/${created.id}`)
    .set(marketer())
    .send({ status: 'paused', events: ['campaign.ended', 'campaign.ended'] });
  expect(patched.body).toMatchObject({ status: 'paused', events: ['campaign.ended'] });
  expect((await system.api.get('/v1/webhooks').set(marketer())).body.webhooks.map((w: { id: string }) => w.id)).toContain(created.id);
  expect((await system.api.delete(`/v1/webhooks/${created.id}`).set(marketer())).status).toBe(204);
  expect((await system.api.get(`/v1/webhooks/${created.id}`).set(marketer())).status).toBe(404);
  const bad = await system.api
    .post('/v1/webhooks')
    .set(marketer())
    .send({ url: 'http://x/', events: ['no.such_type'] });
  expect(bad.status).toBe(400);
  expect(
    (
      await system.api
        .post('/v1/webhooks')
        .set(system.as('operator'))
        .send({ url: 'https://example.com', events: ['campaign.started'] })
    ).status,
  ).toBe(403);
});

it('a receiver failing its first 3 attempts gets the message on the 4th, same id and a valid signature every time', async () => {
  const r = await receiver((n) => (n <= 3 ? 500 : 200));
  const hook = await subscribe(r.url, ['code_batch.completed']);
  const messageId = await system.db.transaction((c) => enqueueOutbox(c, 'code_batch.completed', { version: 1, batchId: randomUUID() }));
  await eventually(async () => r.received.length >= 4);
  expect(r.received.map((x) => x.id)).toEqual([messageId, messageId, messageId, messageId]);
  for (const got of r.received)
    expect(WebhookReceiver.verify(hook.secret, got)).toMatchObject({ type: 'code_batch.completed', data: { version: 1 } });
  const [log] = await eventually(async () => {
    const list = await deliveries(hook.id);
    return list[0]?.status === 'delivered' ? list : null;
  });
  expect(log).toMatchObject({
    messageId,
    type: 'code_batch.completed',
    attempts: 4,
    lastStatusCode: 200,
    lastError: null,
    nextAttemptAt: null,
  });
  // redeliver a delivered one: a new run, same message id
  const again = await system.api.post(`/v1/webhook-deliveries/${log.id}/redeliver`).set(marketer());
  expect(again.status).toBe(202);
  await eventually(async () => r.received.length >= 5);
  expect(r.received[4].id).toBe(messageId);
});

it('a receiver that is down for longer is retried until it comes back; the log shows attempts, error and next attempt', async () => {
  const port = await closedPort();
  const hook = await subscribe(`http://127.0.0.1:${port}/hook`, ['code_import.failed']);
  const messageId = await system.db.transaction((c) =>
    enqueueOutbox(c, 'code_import.failed', { version: 1, importId: randomUUID(), error: 'x' }),
  );
  const [waiting] = await eventually(async () => {
    const list = await deliveries(hook.id);
    return list[0]?.attempts >= 3 ? list : null;
  });
  expect(waiting).toMatchObject({ status: 'retrying', lastStatusCode: null, lastError: expect.stringMatching(/ECONNREFUSED/) });
  expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(Date.parse(waiting.lastAttemptAt));
  const r = await receiver(() => 200, port);
  await eventually(async () => r.received.length >= 1);
  expect(r.received[0].id).toBe(messageId);
  expect(WebhookReceiver.verify(hook.secret, r.received[0])).toMatchObject({ type: 'code_import.failed' });
});

it('sends only the types a webhook asked for, to every webhook that asked; a paused webhook gets nothing new', async () => {
  const a = await receiver();
  const b = await receiver();
  await subscribe(a.url, ['campaign.paused']);
  const hookB = await subscribe(b.url, ['campaign.paused', 'campaign.ended']);
  await system.db.transaction(async (c) => {
    await enqueueOutbox(c, 'campaign.paused', { version: 1, campaignId: 'p' });
    await enqueueOutbox(c, 'campaign.ended', { version: 1, campaignId: 'p' });
    await enqueueOutbox(c, 'campaign.started', { version: 1, campaignId: 'p' });
  });
  await eventually(async () => a.received.length === 1 && b.received.length === 2);
  await system.api.patch(`/v1/webhooks/${hookB.id}`).set(marketer()).send({ status: 'paused' });
  await system.db.transaction((c) => enqueueOutbox(c, 'campaign.paused', { version: 1, campaignId: 'q' }));
  await eventually(async () => a.received.length === 2);
  const { rows } = await system.db.query(`select count(*)::int as n from outbox where dispatched_at is null`);
  expect(rows[0].n).toBe(0);
  expect(b.received.length).toBe(2);
});

it('a rolled-back transaction sends nothing', async () => {
  const r = await receiver();
  await subscribe(r.url, ['reward.redeemed']);
  await expect(
    system.db.transaction(async (c) => {
      await enqueueOutbox(c, 'reward.redeemed', { version: 1 });
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  const committed = await system.db.transaction((c) => enqueueOutbox(c, 'reward.redeemed', { version: 1, n: 2 }));
  await eventually(async () => r.received.length >= 1);
  expect(r.received.map((x) => x.id)).toEqual([committed]);
});

it('a rolled-back redemption: redemption.succeeded is still sent (it happened), then redemption.rolled_back', async () => {
  const r = await receiver();
  const hook = await subscribe(r.url, ['redemption.succeeded', 'redemption.rolled_back']);
  await createCodeEventSchema(system);
  await createCampaign(system, 'rolled');
  await addCodes(system, 'rolled', ['ROLLED1']);
  await addMembers(system, ['roller']);
  expect((await postEvent(system, 'rolled-1', 'roller', 'ROLLED1')).body.outcome).toBe('redeemed');
  await eventually(async () => r.received.length >= 1);
  expect((await system.api.post('/v1/redemptions/rolled-1/rollback').set(system.as('operator')).send({ reason: 'returned' })).status).toBe(
    200,
  );
  await eventually(async () => r.received.length >= 2);
  const bodies = r.received.map((got) => WebhookReceiver.verify(hook.secret, got) as { type: string; data: { eventId: string } });
  expect(bodies.map((b) => [b.type, b.data.eventId])).toEqual([
    ['redemption.succeeded', 'rolled-1'],
    ['redemption.rolled_back', 'rolled-1'],
  ]);
  expect(new Set(r.received.map((got) => got.id)).size).toBe(2);
});
