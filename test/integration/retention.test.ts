import { randomUUID } from 'node:crypto';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { deleteOldCodeHistory } from '../../db/code-history';
import { deleteExpiredIdempotencyKeys } from '../../db/idempotency-keys';
import { deleteOldRejectedEvents } from '../../db/redemption-events';
import { retentionScheduleId } from '../../worker/retention-schedule';

/**
 * Retention as a Temporal Schedule: old rows that are done go, everything else stays (what is still to be sent,
 * a code's redemption, recent rows); its deletes never hold up a redemption.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ retentionSchedule: true });
});
afterAll(async () => {
  await system?.temporal.schedule
    .getHandle(retentionScheduleId(system.config.workflowIdPrefix))
    .delete()
    .catch(() => undefined);
  await system?.stop();
});

const OLD = `now() - interval '400 days'`;

/** Rows on both sides of every rule; `keep` in their names tells what must stay. */
async function seed() {
  const q = (sql: string, values: unknown[] = []) => system.db.query(sql, values);
  const sub = randomUUID();
  await q(`insert into webhook_subscriptions (id, url, events, secret) values ($1, 'https://example.com/h', '{campaign.started}', 's')`, [
    sub,
  ]);
  const message = async (name: string, dispatched: string | null, created = 'now()') => {
    const id = randomUUID();
    await q(
      `insert into outbox (id, type, payload, created_at, dispatched_at) values ($1, 'campaign.started', $2, ${created}, ${dispatched ?? 'null'})`,
      [id, { name }],
    );
    return id;
  };
  const delivery = (messageId: string, status: string, created: string) =>
    q(
      `insert into webhook_deliveries (id, message_id, subscription_id, status, created_at) values (gen_random_uuid(), $1, $2, $3, ${created})`,
      [messageId, sub, status],
    );
  await message('gone-old-dispatched', OLD, OLD);
  await message('keep-pending', null, OLD);
  await message('keep-recent', 'now()');
  await delivery(await message('gone-with-its-delivered-delivery', OLD, OLD), 'delivered', OLD);
  await delivery(await message('keep-still-retrying', OLD, OLD), 'retrying', OLD);
  await delivery(await message('keep-recent-delivery', OLD, OLD), 'delivered', 'now()');

  const key = (k: string, created: string) =>
    q(
      `insert into idempotency_keys (principal, key, method, path, request_hash, created_at) values ('p', $1, 'POST', '/x', 'h', ${created})`,
      [k],
    );
  await key('gone-old', OLD);
  await key('keep-recent', `now() - interval '1 hour'`);

  const event = (id: string, outcome: string, created: string) =>
    q(
      `insert into redemption_events (event_id, api_key, outcome, result, created_at) values ($1, 'producer:retention', $2, '{}', ${created})`,
      [id, outcome],
    );
  await event('gone-old-rejected', 'rejected', OLD);
  await event('keep-old-redeemed', 'redeemed', OLD);
  await event('keep-recent-rejected', 'rejected', 'now()');

  const history = (reason: string, kind: string, outcome: string | null, at: string) =>
    q(`insert into code_history (code, kind, outcome, reason, at) values ('RET1', $1, $2, $3, ${at})`, [kind, outcome, reason]);
  await history('gone-old-status-change', 'status_change', null, OLD);
  await history('gone-old-failed-attempt', 'redemption_attempt', 'rejected', OLD);
  await history('keep-old-redemption', 'redemption_attempt', 'redeemed', OLD);
  await history('keep-recent', 'status_change', null, 'now()');
}

it('the Schedule runs the pass, which deletes only the expired rows that are done', async () => {
  await seed();
  const schedule = system.temporal.schedule.getHandle(retentionScheduleId(system.config.workflowIdPrefix));
  const described = await schedule.describe();
  expect(described.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'retentionWorkflow',
    taskQueue: system.config.taskQueues.bulk,
  });
  await schedule.trigger();
  let workflowId: string | undefined;
  for (let i = 0; i < 100 && !workflowId; i++) {
    workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
    if (!workflowId) await new Promise((r) => setTimeout(r, 200));
  }
  const deleted = await system.temporal.workflow.getHandle(workflowId!).result();
  expect(deleted).toEqual({ webhook_deliveries: 1, outbox: 2, idempotency_keys: 1, redemption_events: 1, code_history: 2, audit_log: 0 });

  const names = async (sql: string) => (await system.db.query(sql)).rows.map((r: { n: string }) => r.n).sort();
  expect(await names(`select payload->>'name' as n from outbox`)).toEqual([
    'keep-pending',
    'keep-recent',
    'keep-recent-delivery',
    'keep-still-retrying',
  ]);
  expect(await names(`select key as n from idempotency_keys`)).toEqual(['keep-recent']);
  expect(await names(`select event_id as n from redemption_events`)).toEqual(['keep-old-redeemed', 'keep-recent-rejected']);
  expect(await names(`select reason as n from code_history`)).toEqual(['keep-old-redemption', 'keep-recent']);
});

it('a redemption goes through while a retention delete holds its rows (it takes none a redemption needs)', async () => {
  await createCodeEventSchema(system);
  await createCampaign(system, 'retained');
  await addCodes(system, 'retained', ['RETAINED1']);
  await addMembers(system, ['keeper']);
  await system.db.query(
    `insert into code_history (code, kind, at) select 'RETAINED1', 'status_change', now() - interval '400 days' from generate_series(1, 50)`,
  );
  await system.db.query(
    `insert into redemption_events (event_id, api_key, outcome, result, member_id, created_at)
     select 'old-' || g, 'producer:retention', 'rejected', '{}', 'keeper', now() - interval '400 days' from generate_series(1, 50) g`,
  );
  const retention = await system.db.connect();
  try {
    await retention.query('begin');
    expect(await deleteOldCodeHistory(retention, 24, 1000)).toBe(50);
    expect(await deleteOldRejectedEvents(retention, 24, 1000)).toBe(50);
    await deleteExpiredIdempotencyKeys(retention, 24, 1000);
    // The deletes' locks are held (not committed): the redemption must not wait for them.
    const res = await postEvent(system, 'retained-1', 'keeper', 'RETAINED1').set('Idempotency-Key', 'retained-1');
    expect(res.body.outcome).toBe('redeemed');
    await retention.query('commit');
  } finally {
    retention.release();
  }
});
