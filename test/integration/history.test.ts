import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { Role } from '../../model/roles';
import type { AuditEntity } from '../../model/audit';
import { deleteOldAuditEntries } from '../../db/audit-log';
import { Database } from '../../db/database';
import { asDatabaseAdmin, startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, campaignRequest, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { historyHelpers, principalOf } from '../support/history';

/**
 * Issue 24, history: every mutating route of the OpenAPI document leaves exactly one history row, by the key's
 * principal, in the same transaction as its change. The route list is walked, not written down: a new mutating
 * route is neither called below nor exempted, and the first test fails until it is one or the other.
 * Rule versions: history-rule-versions.test.ts.
 */
const EXEMPT: Record<string, string> = {
  'POST /v1/events': 'a member transaction, not a change: each event is its own permanent row of the event log (producer, rule version)',
  'POST /v1/rewards/{id}/redemptions': 'a member transaction: its own permanent reward_redemptions row (producer, member, code, points)',
  'POST /v1/rewards/{id}/awards': 'a member transaction: its own permanent reward_redemptions row (producer, member, code)',
  'POST /v1/rewards/{id}/reservations': 'a member transaction: its own permanent reward_redemptions row (producer, code, expiry)',
  'POST /v1/redemptions/{id}/assign': 'a member transaction: completes its reservation row (producer, member, code)',
  'PUT /v1/members/{id}': "the shop's copy of a member profile, synced by its producers: member data, not configuration",
  'POST /v1/campaigns/{id}/simulate': 'a read by POST: decides one event, writes nothing',
  'POST /v1/campaigns/{id}/replay': 'a read by POST: re-decides recorded events, writes nothing',
  'POST /v1/code-batches/keyspace-check': 'a read by POST: checks a generation request, writes nothing',
  'POST /v1/distributions/preview': 'a read by POST: stages the audience in a transaction it always rolls back',
};

interface Fixtures {
  batchId: string;
  webhookToChange: string;
  webhookToDelete: string;
  deliveryId: string;
  distributionId: string;
}

/** How to make one successful call of each mutating route, and what its history row is about. */
const CALLS: Record<string, { role: Role; entity: AuditEntity; call: (f: Fixtures) => Promise<Response> }> = {
  'POST /v1/code-batches': {
    role: 'operator',
    entity: 'code_batch',
    call: () => post('operator', '/v1/code-batches').send({ quantity: 3, length: 10, charset: 'numeric' }),
  },
  'POST /v1/code-batches/{id}/cancel': {
    role: 'operator',
    entity: 'code_batch',
    call: (f) => post('operator', `/v1/code-batches/${f.batchId}/cancel`).send({ reason: 'history test' }),
  },
  'POST /v1/code-imports': {
    role: 'operator',
    entity: 'code_import',
    call: () => post('operator', '/v1/code-imports').set('Content-Type', 'text/csv').send('code\nHISTIMPORT0001\n'),
  },
  'POST /v1/code-status-imports': {
    role: 'operator',
    entity: 'code_status_import',
    call: () => post('operator', '/v1/code-status-imports').set('Content-Type', 'text/csv').send('code,status\nHISTSTATUS01,cancelled\n'),
  },
  'POST /v1/codes/{code}/cancel': {
    role: 'operator',
    entity: 'code',
    call: () => post('operator', '/v1/codes/HISTCANCEL01/cancel').send({ reason: 'printed by mistake' }),
  },
  'POST /v1/event-schemas': {
    role: 'marketer',
    entity: 'event_schema',
    call: () => post('marketer', '/v1/event-schemas').send({ name: 'history_event', attributes: [{ name: 'code', type: 'text' }] }),
  },
  'PATCH /v1/event-schemas/{name}': {
    role: 'marketer',
    entity: 'event_schema',
    call: () => system.api.patch('/v1/event-schemas/history_event').set(system.as('marketer')).send({ active: false }),
  },
  'POST /v1/campaigns': {
    role: 'marketer',
    entity: 'campaign',
    call: () => post('marketer', '/v1/campaigns').send(campaignRequest('hist-created')),
  },
  'PATCH /v1/campaigns/{id}': {
    role: 'marketer',
    entity: 'campaign',
    call: () => system.api.patch('/v1/campaigns/hist').set(system.as('marketer')).send({ name: 'History, renamed' }),
  },
  'POST /v1/campaigns/{id}/rule-versions/{version}/restore': {
    role: 'marketer',
    entity: 'campaign',
    call: () => post('marketer', '/v1/campaigns/hist/rule-versions/1/restore'),
  },
  'POST /v1/rewards': {
    role: 'marketer',
    entity: 'reward',
    call: () => post('marketer', '/v1/rewards').send({ id: 'hist-reward', name: 'Mug', type: 'coupon_based_reward', pointsCost: 10 }),
  },
  'POST /v1/redemptions/{id}/rollback': {
    role: 'operator',
    entity: 'redemption',
    call: () => post('operator', '/v1/redemptions/hist-event-1/rollback').send({ reason: 'returned the goods' }),
  },
  'POST /v1/webhooks': {
    role: 'marketer',
    entity: 'webhook',
    call: () => post('marketer', '/v1/webhooks').send({ url: 'https://example.com/history-new', events: ['campaign.started'] }),
  },
  'PATCH /v1/webhooks/{id}': {
    role: 'marketer',
    entity: 'webhook',
    call: (f) => system.api.patch(`/v1/webhooks/${f.webhookToChange}`).set(system.as('marketer')).send({ description: 'renamed' }),
  },
  'DELETE /v1/webhooks/{id}': {
    role: 'admin',
    entity: 'webhook',
    call: (f) => system.api.delete(`/v1/webhooks/${f.webhookToDelete}`).set(system.as('admin')),
  },
  'POST /v1/webhook-deliveries/{id}/redeliver': {
    role: 'marketer',
    entity: 'webhook_delivery',
    call: (f) => post('marketer', `/v1/webhook-deliveries/${f.deliveryId}/redeliver`),
  },
  'POST /v1/distributions': {
    role: 'marketer',
    entity: 'distribution',
    call: () =>
      post('marketer', '/v1/distributions').send({ pool: { type: 'campaign', id: 'hist' }, audience: { type: 'filter', tier: 'gold' } }),
  },
  'POST /v1/distributions/{id}/cancel': {
    role: 'operator',
    entity: 'distribution',
    call: (f) => post('operator', `/v1/distributions/${f.distributionId}/cancel`),
  },
};

let system: TestSystem;
let fixtures: Fixtures;
const { post, auditCount } = historyHelpers(() => system);
const lastAudit = async () =>
  (await system.db.query(`select actor, entity_type as "entityType", action from audit_log order by id desc limit 1`)).rows[0];

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'hist');
  await addCodes(system, 'hist', ['HISTEVENT01', ...Array.from({ length: 8 }, (_, i) => `HISTDIST0${i}`)]);
  // Out of the distributions' pool: no distribution may assign them before they are cancelled.
  await createCampaign(system, 'hist-other');
  await addCodes(system, 'hist-other', ['HISTCANCEL01', 'HISTSTATUS01']);
  await addMembers(system, ['hist-member']);
  await addMembers(system, ['hist-gold'], { tier: 'gold' });
  expect((await postEvent(system, 'hist-event-1', 'hist-member', 'HISTEVENT01')).body.outcome).toBe('redeemed');
  const batch = await post('operator', '/v1/code-batches').send({ quantity: 3, length: 10, charset: 'numeric' });
  await eventually(
    async () => (await system.api.get(`/v1/code-batches/${batch.body.id}`).set(system.as('operator'))).body.status === 'completed',
  );
  const webhook = async () =>
    (await post('marketer', '/v1/webhooks').send({ url: `https://example.com/history-${randomUUID()}`, events: ['campaign.started'] })).body
      .id as string;
  const webhookToChange = await webhook();
  const messageId = randomUUID();
  const deliveryId = randomUUID();
  await system.db.query(`insert into outbox (id, type, payload, dispatched_at) values ($1, 'campaign.started', '{}', now())`, [messageId]);
  await system.db.query(`insert into webhook_deliveries (id, message_id, subscription_id, status) values ($1, $2, $3, 'failed')`, [
    deliveryId,
    messageId,
    webhookToChange,
  ]);
  const distribution = await post('marketer', '/v1/distributions').send({
    pool: { type: 'campaign', id: 'hist' },
    audience: { type: 'filter' },
  });
  expect(distribution.status).toBe(202);
  fixtures = {
    batchId: batch.body.id,
    webhookToChange,
    webhookToDelete: await webhook(),
    deliveryId,
    distributionId: distribution.body.id,
  };
});
afterAll(() => system?.stop());

describe('every mutating route leaves exactly one history row', () => {
  it('each mutating route of the OpenAPI document is either called here or exempted with a reason', async () => {
    const doc = (await system.api.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const mutating = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(Object.keys(CALLS).filter((route) => route in EXEMPT)).toEqual([]);
    expect([...Object.keys(CALLS), ...Object.keys(EXEMPT)].sort()).toEqual(mutating.sort());
  });

  it.each(Object.keys(CALLS))('%s', async (route) => {
    const { role, entity, call } = CALLS[route];
    const before = await auditCount();
    const res = await call(fixtures);
    expect({ route, status: res.status, ok: res.status >= 200 && res.status < 300 }).toMatchObject({ route, ok: true });
    expect(await auditCount()).toBe(before + 1);
    expect(await lastAudit()).toMatchObject({ actor: principalOf(role), entityType: entity });
  });
});

// The append-only trigger fires per row: these run after the calls above have left rows to refuse changing.
describe('the history cannot be changed', () => {
  it('PostgreSQL refuses UPDATE, DELETE and TRUNCATE of audit_log, to the application role and to its owner', async () => {
    const owner = new Database(asDatabaseAdmin(system.databaseUrl));
    try {
      for (const db of [system.db, owner]) {
        await expect(db.query(`update audit_log set actor = 'someone else'`)).rejects.toThrow(/append-only/);
        await expect(db.query(`delete from audit_log`)).rejects.toThrow(/append-only/);
      }
      // The application role is not even granted TRUNCATE; the owner is, and the trigger refuses it.
      await expect(system.db.query(`truncate audit_log`)).rejects.toThrow(/permission denied/);
      await expect(owner.query(`truncate audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.close();
    }
  });

  it('only the retention pass deletes, and only rows older than its age (none by default: RETENTION_AUDIT_LOG_HOURS unset)', async () => {
    await system.db.query(
      `insert into audit_log (actor, entity_type, entity_id, action, at) values ('admin:retention', 'campaign', 'old', 'update', now() - interval '400 days')`,
    );
    const count = await auditCount();
    expect(system.config.retention.hours.auditLog).toBe(0);
    expect(await deleteOldAuditEntries(system.db, 0, 100)).toBe(0);
    expect(await deleteOldAuditEntries(system.db, 24 * 365, 100)).toBe(1);
    expect(await auditCount()).toBe(count - 1);
    // The permission lasted for the retention statement only.
    await expect(system.db.query(`delete from audit_log`)).rejects.toThrow(/append-only/);
  });
});

// Reads back the rows the calls above left (the rename and restore of 'hist'): runs after them, in this file.
describe('GET /v1/audit-log', () => {
  it('filters by entity, id and actor, newest first, with the diff of each change', async () => {
    const res = await system.api.get('/v1/audit-log?entity=campaign&id=hist').set(system.as('marketer'));
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: { action: string }) => e.action)).toEqual(['restore_rules', 'update', 'create']);
    const [restore, rename] = res.body.entries;
    expect(rename.diff).toEqual([{ path: 'name', before: 'hist', after: 'History, renamed' }]);
    expect(rename.actor).toBe(principalOf('marketer'));
    expect(restore.detail).toEqual({ restoredFrom: 1, rulesVersion: 2 });
    expect(restore.diff).toEqual([{ path: 'rulesVersion', before: 1, after: 2 }]);
    const byOperator = await system.api.get(`/v1/audit-log?actor=${principalOf('operator')}&limit=500`).set(system.as('admin'));
    expect(byOperator.body.entries.length).toBeGreaterThan(0);
    expect(byOperator.body.entries.every((e: { actor: string }) => e.actor === principalOf('operator'))).toBe(true);
  });

  it('refuses an id without its entity (400), and operators and producers (403)', async () => {
    expect((await system.api.get('/v1/audit-log?id=hist').set(system.as('marketer'))).status).toBe(400);
    expect((await system.api.get('/v1/audit-log').set(system.as('operator'))).status).toBe(403);
    expect((await system.api.get('/v1/audit-log').set(system.as('producer'))).status).toBe(403);
  });
});

describe('status changes the dates make', () => {
  it('are recorded by system:lifecycle', async () => {
    await createCampaign(system, 'hist-timed', { startsAt: new Date(Date.now() + 2000).toISOString() });
    const entry = await eventually(
      async () =>
        (await system.api.get('/v1/audit-log?entity=campaign&id=hist-timed&actor=system:lifecycle').set(system.as('admin'))).body
          .entries[0],
    );
    expect(entry).toMatchObject({ action: 'update', diff: [{ path: 'status', before: 'scheduled', after: 'active' }] });
  });
});
