import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { Database } from '../../db/database';
import { loadConfig } from '../../runtime/config';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { startStack, type Stack } from '../../runtime/stack';
import { Teardown } from '../../runtime/teardown';
import { freePorts } from '../../runtime/ports';
import { temporalServerTools } from '../../runtime/temporal-server-tools';
import * as fixtures from '../support/fixtures';
import { anyoneRule } from '../support/campaign-setup';

/**
 * The production shape on one machine: the real Temporal server (built by `npm run setup -- --server`) on
 * PostgreSQL with 4 history shards, two API processes and two worker processes, as docker-compose.yml runs them.
 * A stream of events through both APIs, a 300,000-code generation and a 100,000-row import run while one worker
 * is SIGKILLed and later one API process: everything finishes exactly, both workers did part of the work, and the
 * `temporal` CLI works against that server as docs/operations.md says.
 */
const ADMIN = 'prod-admin-key-000000001';
const PRODUCER = 'prod-producer-key-000001';
let teardown: Teardown;
let stack: Stack;
let root: string;
let db: Database;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  if (!temporalServerTools(loadConfig().toolsDir)) {
    throw new Error('the real Temporal server is not built: run `npm run setup -- --server` first (.ci/run does)');
  }
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-prod-'));
  fs.chmodSync(root, 0o777);
  teardown = new Teardown();
  const [postgresPort, temporalPort] = await freePorts(2);
  stack = await startStack({
    dataDir: root,
    toolsDir: loadConfig().toolsDir,
    databaseName: 'loyalty',
    postgresPort,
    temporalPort,
    temporalRuntime: 'server',
    temporalPersistent: true,
    teardown,
    migrate: async (url) =>
      void execFileSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, DATABASE_URL: url },
      }),
  });
  db = new Database(stack.databaseUrl);
});
afterAll(async () => {
  for (const p of processes) await p.stop();
  await db?.close();
  await teardown?.run();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function service(entry: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const started = await startServiceProcess(entry, {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    WORKFLOW_BUNDLE_PATH: stack.workflowBundlePath,
    API_KEYS: `admin:${ADMIN},producer:${PRODUCER}`,
    CODE_CHUNK_SIZE: '10000',
    LOCKOUT_MAX_FAILURES: '1000000',
    LOCKOUT_KEY_MIN_FAILURES: '1000000',
    ...extra,
  });
  processes.push(started);
  return started;
}

/** One API call; T names the fields of the answer the caller reads (an error answer has other fields). */
async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  route: string,
  key: string,
  body?: unknown,
  type = 'application/json',
) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': type }) },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : (body as string),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('two APIs and two workers on the real server finish every job exactly through a worker kill and an API kill', async () => {
  const [port1, port2] = await freePorts(2);
  const api1 = await service('api/server.ts', { PORT: String(port1) });
  await service('api/server.ts', { PORT: String(port2) });
  const worker1 = await service('worker/index.ts');
  const worker2 = await service('worker/index.ts');
  const bases = [`http://127.0.0.1:${port1}`, `http://127.0.0.1:${port2}`];
  let api1Alive = true;
  const live = () => (api1Alive ? bases : [bases[1]]);

  // A campaign whose budget fits 200 of 300 events (10 points each).
  expect(
    (
      await call(bases[0], 'POST', '/v1/event-schemas', ADMIN, {
        name: 'code_entered',
        attributes: [{ name: 'code', type: 'text', required: true }],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call(bases[1], 'POST', '/v1/campaigns', ADMIN, {
        id: 'prod',
        name: 'prod',
        status: 'active',
        trigger: { event: 'code_entered', codeAttribute: 'code' },
        rules: [anyoneRule],
        budget: { kind: 'points', cap: 2000 },
      })
    ).status,
  ).toBe(201);
  const codes = Array.from({ length: 300 }, (_, i) => `PRODEVENT${i}`);
  await fixtures.addCodes(db, { type: 'campaign', id: 'prod' }, codes);
  await fixtures.addMembers(
    db,
    codes.map((_, i) => `prod-member-${i}`),
  );

  type Started = { id: string; workflowId: string };
  const generation = await call<Started>(bases[0], 'POST', '/v1/code-batches', ADMIN, {
    quantity: 300_000,
    length: 12,
    charset: 'alphanumeric',
  });
  expect(generation.status).toBe(202);
  const csv = ['code', ...Array.from({ length: 100_000 }, (_, i) => `PRODIMPORT${String(i).padStart(6, '0')}`)].join('\n');
  const imported = await call<Started>(bases[1], 'POST', '/v1/code-imports', ADMIN, csv, 'text/csv');
  expect(imported.status).toBe(202);
  const job = async (route: string) =>
    (await call<{ status: string; generated: number }>(live()[live().length - 1], 'GET', route, ADMIN)).body;

  // The event stream, spread over both APIs; a call cut by the API kill is sent again (same event id) elsewhere.
  const outcomes = new Map<number, { outcome: string }>();
  let next = 0;
  const callers = Array.from({ length: 8 }, async (_, caller) => {
    while (next < codes.length) {
      const i = next++;
      for (let attempt = 0; !outcomes.has(i); attempt++) {
        const base = live()[(caller + attempt) % live().length];
        const res = await call<{ outcome: string }>(base, 'POST', '/v1/events', PRODUCER, {
          id: `prod-${i}`,
          name: 'code_entered',
          memberId: `prod-member-${i}`,
          attributes: { code: codes[i] },
        }).catch(() => undefined);
        if (res?.status === 200) outcomes.set(i, res.body);
        else await sleep(200);
      }
    }
  });

  // One worker dies a third into the generation; later one API process dies.
  while ((await job(`/v1/code-batches/${generation.body.id}`)).generated < 100_000) await sleep(200);
  await worker1.kill();
  while ((await job(`/v1/code-batches/${generation.body.id}`)).generated < 200_000) await sleep(200);
  api1Alive = false;
  await api1.kill();
  await Promise.all(callers);

  const done = async (route: string) => {
    for (;;) {
      const body = await job(route);
      if (body.status !== 'pending' && body.status !== 'running') return body;
      await sleep(500);
    }
  };
  expect(await done(`/v1/code-batches/${generation.body.id}`)).toMatchObject({ status: 'completed', generated: 300_000 });
  expect(await done(`/v1/code-imports/${imported.body.id}`)).toMatchObject({ status: 'completed', imported: 100_000, rejected: 0 });
  const generated = await db.query('select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1', [
    generation.body.id,
  ]);
  expect(generated.rows[0]).toEqual({ n: 300_000, d: 300_000 });
  expect((await db.query(`select count(*)::int as n from codes where code like 'PRODIMPORT%'`)).rows[0].n).toBe(100_000);

  // Every event answered once; the budget and the ledger exact.
  expect(outcomes.size).toBe(300);
  expect([...outcomes.values()].filter((o) => o.outcome === 'redeemed').length).toBe(200);
  const ledger = await db.query(
    `select count(*)::int as n, count(distinct reference)::int as d from point_transactions where source = 'campaign:prod'`,
  );
  expect(ledger.rows[0]).toEqual({ n: 200, d: 200 });
  expect((await db.query(`select budget_used::int as n from campaigns where id = 'prod'`)).rows[0].n).toBe(2000);

  // Both workers did part of the chunk work: completions per worker identity (pid@host) from the histories.
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  try {
    const identities = new Set<string>();
    for (const workflowId of [generation.body.workflowId, imported.body.workflowId]) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      for (const event of history.events ?? []) {
        const identity = event.activityTaskCompletedEventAttributes?.identity;
        if (identity) identities.add(identity.split('@')[0]);
      }
    }
    expect(identities).toEqual(new Set([String(worker1.pid), String(worker2.pid)]));

    // The operator's CLI against that server, as docs/operations.md runs it: list, describe, and a reset (a new run
    // replays every chunk, each finds its committed row: still exactly 300,000 codes).
    const cli = (...args: string[]) =>
      execFileSync(stack.temporalCli!, [...args, '--address', stack.temporalAddress], { encoding: 'utf8' });
    const workflowId = generation.body.workflowId;
    expect(cli('workflow', 'list')).toContain(workflowId);
    expect(cli('workflow', 'describe', '--workflow-id', workflowId)).toMatch(/Status\s+COMPLETED/);
    cli('workflow', 'reset', '--workflow-id', workflowId, '--type', 'FirstWorkflowTask', '--reason', 'production-shape test');
    await client.workflow.getHandle(workflowId).result();
    expect(
      (await db.query('select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1', [generation.body.id]))
        .rows[0],
    ).toEqual({ n: 300_000, d: 300_000 });
    expect(await done(`/v1/code-batches/${generation.body.id}`)).toMatchObject({ status: 'completed', generated: 300_000 });
  } finally {
    await connection.close();
  }
});
