import { attemptResult } from '../../activities/webhook-delivery';
import type { DueDelivery } from '../../db/webhook-deliveries';
import { BUSY_LOOK_MS, IDLE_LOOK_MS, waitAfterBatch } from '../../domain/retry-backoff';
import { loadConfig, taskQueuesFor } from '../../runtime/config';

const retry = { initialMs: 1_000, maxIntervalMs: 8_000, windowMs: 60_000 };
const due = (runAttempts: number, retryFrom = 0): DueDelivery => ({
  id: 'd',
  messageId: 'm',
  type: 'campaign.started',
  payload: {},
  messageCreatedAt: new Date(0),
  retryFrom: new Date(retryFrom),
  runAttempts,
});
const ok = { statusCode: 200, error: null, refused: false };
const refusedByReceiver = { statusCode: 503, error: 'the receiver answered 503', refused: false };
const refusedByPolicy = { statusCode: null, error: 'loopback address', refused: true };

describe('one attempt of a batch, as the log records it', () => {
  it.each([
    ['a 2xx is delivered', due(0), ok, 10_000, { status: 'delivered', nextAttemptAt: null }],
    [
      'a first failure retries after the first wait',
      due(0),
      refusedByReceiver,
      10_000,
      { status: 'retrying', nextAttemptAt: new Date(11_000) },
    ],
    ['the wait doubles per attempt of the run', due(2), refusedByReceiver, 10_000, { status: 'retrying', nextAttemptAt: new Date(14_000) }],
    ['and is capped', due(9), refusedByReceiver, 10_000, { status: 'retrying', nextAttemptAt: new Date(18_000) }],
    ['past the retry window it fails for good', due(9), refusedByReceiver, 55_000, { status: 'failed', nextAttemptAt: null }],
    [
      'a redeliver opens a new window',
      due(0, 100_000),
      refusedByReceiver,
      150_000,
      { status: 'retrying', nextAttemptAt: new Date(151_000) },
    ],
    ['a target refused by policy fails at once', due(0), refusedByPolicy, 10_000, { status: 'failed', nextAttemptAt: null }],
  ])('%s', (_name, delivery, sent, now, expected) => {
    expect(attemptResult(delivery, sent, now, retry)).toMatchObject({ ...expected, statusCode: sent.statusCode, error: sent.error });
  });
});

describe('the wait after a batch', () => {
  it.each([
    ['nothing waiting: idle until woken', null, 5, 1_000, IDLE_LOOK_MS],
    ['more due now after a batch that sent: none', 900, 100, 1_000, 0],
    ['due now but the batch took nothing (leased elsewhere): a short look later', 900, 0, 1_000, BUSY_LOOK_MS],
    ['next retry later: until then', 4_000, 3, 1_000, 3_000],
    ['next retry far off: at most the idle look', 1_000 + 10 * IDLE_LOOK_MS, 1, 1_000, IDLE_LOOK_MS],
  ])('%s', (_name, nextDueAt, attempted, now, expected) => {
    expect(waitAfterBatch(nextDueAt, attempted, now)).toBe(expected);
  });
});

describe('task queues and worker queues', () => {
  it('derives one queue per kind of work; bulk jobs keep the base name', () => {
    expect(taskQueuesFor('lc')).toEqual({
      bulk: 'lc',
      campaigns: 'lc-campaigns',
      reservations: 'lc-reservations',
      webhooks: 'lc-webhooks',
    });
  });

  it('polls every queue by default, each with its own slots; WORKER_QUEUES picks some, unknown names are refused', () => {
    expect(loadConfig({}).workerQueues).toEqual([
      { kind: 'bulk', slots: 4 },
      { kind: 'campaigns', slots: 8 },
      { kind: 'reservations', slots: 8 },
      { kind: 'webhooks', slots: 8 },
    ]);
    expect(loadConfig({ WORKER_QUEUES: 'webhooks, webhooks', WORKER_WEBHOOKS_SLOTS: '32' }).workerQueues).toEqual([
      { kind: 'webhooks', slots: 32 },
    ]);
    expect(() => loadConfig({ WORKER_QUEUES: 'webhooks,emails' })).toThrow(/unknown queue "emails"/);
    expect(() => loadConfig({ WORKER_BULK_SLOTS: '0' })).toThrow(/WORKER_BULK_SLOTS/);
  });

  it('keeps idempotency keys 24 hours by default', () => {
    expect(loadConfig({}).retention.hours.idempotencyKeys).toBe(24);
  });
});
