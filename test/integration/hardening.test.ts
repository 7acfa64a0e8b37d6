import fs from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import os from 'node:os';
import { passwordFileOf } from '../../runtime/embedded-postgres';
import { APP_ROLE, appPasswordFileOf, ensureAppRole, grantAppRole, urlAs } from '../../runtime/app-role';
import { asDatabaseAdmin, createTestDatabase, eventually, startTestSystem, type TestSystem } from '../support/test-system';
import request from 'supertest';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import { campaignRequest, createCodeEventSchema } from '../support/campaign-setup';
import { closedPort, WebhookReceiver } from '../support/webhook-receiver';
import { enqueueOutbox } from '../../db/outbox';
import { resealWebhookSecrets } from '../../db/webhook-subscriptions';
import { SecretBox } from '../../domain/secret-box';

/**
 * Hardening (issue 29): security headers on API answers and the docs page (the console's: test/browser/
 * console-security), keys never shown, webhook secrets sealed at rest and never kept for a replay.
 */
let system: TestSystem;
let receiver: WebhookReceiver;
beforeAll(async () => {
  system = await startTestSystem({ env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await system.stop();
});

test.each(['/healthz', '/openapi.json', '/v1/me', '/v1/nothing-here'])('%s: nothing may load from an API answer', async (path) => {
  const res = await system.api.get(path).set(system.as('marketer'));
  expect(res.headers['content-security-policy']).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  );
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
});

test('the docs page runs only its own scripts and can not be framed', async () => {
  const res = await system.api.get('/docs/');
  expect(res.status).toBe(200);
  const policy = res.headers['content-security-policy'];
  expect(policy).toContain("script-src 'self';");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(res.headers['x-frame-options']).toBe('DENY');
  // swagger-ui-express's page holds no inline script (its init is a file), so the policy costs it nothing.
  expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)/);
});

test('with Temporal unreachable a campaign change still answers, and a job start says 503 in plain words, no Temporal text', async () => {
  // The same database, an API whose Temporal is a port nobody listens on (no retry interceptor: it fails at once).
  const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, connectTimeout: 1000, interceptors: [] });
  const app = createApp(
    { db: system.db, temporal: new TemporalClient({ connection }), config: system.config },
    parseApiKeys('marketer:outage-key-0001'),
  );
  const marketer = { Authorization: 'Bearer outage-key-0001' };
  try {
    await createCodeEventSchema(system);
    const codes = { codes: { generate: { quantity: 10, length: 10, charset: 'numeric' } } };
    const created = await request(app).post('/v1/campaigns').set(marketer).send(campaignRequest('outage-change', codes));
    expect(created.status).toBe(201);
    const paused = await request(app).patch('/v1/campaigns/outage-change').set(marketer).send({ status: 'paused' });
    expect([paused.status, paused.body.status]).toEqual([200, 'paused']);

    const refused = await request(app).post('/v1/code-batches').set(marketer).send({ quantity: 10, length: 10, charset: 'numeric' });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toEqual({
      code: 'workflow_unavailable',
      message: 'Temporal is unavailable; the batch was not started, retry shortly',
    });
    // The whole answer is pinned above: Temporal's own text (gRPC status, address, stack) stays in the log.
  } finally {
    await connection.close().catch(() => undefined);
  }
});

test("/v1/me shows the key's id, never the key", async () => {
  const res = await system.api.get('/v1/me').set(system.as('marketer'));
  expect(res.body.keyId).toMatch(/^marketer:[0-9a-f]{12}$/);
  expect(JSON.stringify(res.body)).not.toContain(system.as('marketer').Authorization.slice('Bearer '.length));
});

test('a webhook secret is sealed at rest and never stored for a replay, yet deliveries verify with it', async () => {
  const create = () =>
    system.api
      .post('/v1/webhooks')
      .set(system.as('marketer'))
      .set('Idempotency-Key', 'create-hook-1')
      .send({ url: receiver.url, events: ['campaign.paused'] });
  const created = await create();
  expect(created.status).toBe(201);
  const secret: string = created.body.secret;
  expect(secret).toMatch(/^whsec_/);
  const key = secret.slice('whsec_'.length);

  const stored = await system.db.query(`select secret from webhook_subscriptions where id = $1`, [created.body.id]);
  expect(stored.rows[0].secret).toMatch(/^enc:v1:/);
  expect(stored.rows[0].secret).not.toContain(key);
  const dump = await system.db.query(`select coalesce(string_agg(response_body::text, ''), '') as all from idempotency_keys`);
  expect(dump.rows[0].all).toContain(created.body.id); // the answer is kept, without its secret
  expect(dump.rows[0].all).not.toContain(key);

  const replay = await create();
  expect(replay.status).toBe(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(replay.body.id).toBe(created.body.id);
  expect(replay.body.secret).toBeUndefined();

  await system.db.transaction((client) =>
    enqueueOutbox(client, 'campaign.paused', { version: 1, campaignId: 'c1', previousStatus: 'active', at: new Date().toISOString() }),
  );
  const received = await eventually(async () => receiver.received[0]);
  expect(WebhookReceiver.verify(secret, received)).toMatchObject({ type: 'campaign.paused' });
});

test('a secret stored in the clear before encryption is sealed by the worker and still signs', async () => {
  const box = SecretBox.for(system.config.webhooks.secretsKey);
  await system.db.query(
    `insert into webhook_subscriptions (id, url, events, secret) values ('00000000-0000-4000-8000-000000000001', $1, '{codes.running_low}', 'whsec_bGVnYWN5LXNlY3JldA==')`,
    [receiver.url],
  );
  expect(await resealWebhookSecrets(system.db, box)).toBe(1);
  expect(await resealWebhookSecrets(system.db, box)).toBe(0);
  const { rows } = await system.db.query(`select secret from webhook_subscriptions where id = '00000000-0000-4000-8000-000000000001'`);
  expect(rows[0].secret).toMatch(/^enc:v1:/);
  expect(box.open(rows[0].secret)).toBe('whsec_bGVnYWN5LXNlY3JldA==');
});

test('the embedded PostgreSQL refuses the old default password; its random one is kept readable by this user only', async () => {
  const old = new PgClient({ connectionString: `postgres://postgres:postgres@127.0.0.1:${process.env.TEST_PG_PORT}/postgres` });
  old.on('error', () => undefined);
  await expect(old.connect()).rejects.toMatchObject({ code: '28P01' }); // password authentication failed
  const file = passwordFileOf(path.join(process.env.TEST_ROOT!, 'postgres'));
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(process.env.TEST_PG_ADMIN_URL).toContain(encodeURIComponent(fs.readFileSync(file, 'utf8').trim()));
});

/** One statement on its own connection: resolves with the rows or rejects with PostgreSQL's error. */
async function queryAs(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new PgClient({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
const INSUFFICIENT_PRIVILEGE = { code: '42501' };

test('the API, the workers and the tests connect as the application role, which may use the product and nothing more', async () => {
  const [me] = (
    await system.db.query(
      `select current_user as name, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
         from pg_roles where rolname = current_user`,
    )
  ).rows;
  expect(me).toEqual({
    name: APP_ROLE,
    rolsuper: false,
    rolcreaterole: false,
    rolcreatedb: false,
    rolreplication: false,
    rolbypassrls: false,
  });
  const url = system.databaseUrl;
  await expect(queryAs(url, `create role intruder login password 'x'`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
  await expect(queryAs(url, `select rolpassword from pg_authid`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
  await expect(queryAs(url, `create table intruder (x int)`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
  await expect(queryAs(url, `drop table members`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
  await expect(queryAs(url, `select * from pgmigrations`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
  // The product works: a migration-made table takes a row through the API and reads back as the role.
  const put = await system.api.put('/v1/members/role-check').set(system.as('marketer')).send({ tier: 'gold' });
  expect(put.status).toBe(201);
  expect(await queryAs(url, `select tier from members where id = 'role-check'`)).toEqual([{ tier: 'gold' }]);
  await queryAs(url, `update members set tier = 'silver' where id = 'role-check'`);

  const file = appPasswordFileOf(path.join(process.env.TEST_ROOT!, 'postgres'));
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(url).toContain(`${APP_ROLE}:${encodeURIComponent(fs.readFileSync(file, 'utf8').trim())}@`);
});

test('a cluster and database an older version made (no role, no grants) get both on the next start', async () => {
  const older = 'loyalty_app_older_test';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'older-cluster-'));
  const databaseUrl = await createTestDatabase();
  const adminUrl = asDatabaseAdmin(databaseUrl);
  try {
    const password = await ensureAppRole(process.env.TEST_PG_ADMIN_URL!, dataDir, older);
    expect(await ensureAppRole(process.env.TEST_PG_ADMIN_URL!, dataDir, older)).toBe(password); // kept, not remade
    expect(fs.statSync(appPasswordFileOf(dataDir)).mode & 0o777).toBe(0o600);
    const asOlder = urlAs(databaseUrl, older, password);
    await expect(queryAs(asOlder, `select count(*) from members`)).rejects.toMatchObject(INSUFFICIENT_PRIVILEGE);
    await grantAppRole(adminUrl, older);
    await grantAppRole(adminUrl, older); // every start: idempotent
    await queryAs(asOlder, `insert into members (id) values ('older-role')`);
    expect(await queryAs(asOlder, `select id from members where id = 'older-role'`)).toEqual([{ id: 'older-role' }]);
  } finally {
    await queryAs(adminUrl, `drop owned by ${older}`);
    await queryAs(process.env.TEST_PG_ADMIN_URL!, `drop role if exists ${older}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(appPasswordFileOf(dataDir), { force: true });
  }
});
