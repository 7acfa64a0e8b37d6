import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { startPostgres, stopPostgres } from '../support/postgres-control';
import { startTemporalDevServer, type RunningTemporal } from '../../runtime/temporal-dev-server';
import { freePort } from '../../runtime/ports';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function generate(system: TestSystem, quantity: number): Promise<string> {
  const res = await system.api.post('/v1/code-batches').set(system.as('operator')).send({ quantity, length: 12, charset: 'alphanumeric' });
  expect(res.status).toBe(202);
  return res.body.id;
}
const generated = async (system: TestSystem, id: string) =>
  (await system.db.query(`select coalesce(sum(inserted), 0)::int as n from code_batch_chunks where batch_id = $1`, [id])).rows[0]
    .n as number;
async function expectExact(system: TestSystem, id: string, quantity: number) {
  await eventually(
    async () => (await system.api.get(`/v1/code-batches/${id}`).set(system.as('operator'))).body.status === 'completed',
    170_000,
  );
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1`, [id]);
  expect(rows[0]).toEqual({ n: quantity, d: quantity });
}

describe('the database restarted mid-job', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      env: { CODE_CHUNK_SIZE: '500', LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' },
    });
    await createCodeEventSchema(system);
    await createCampaign(system, 'restart', { budget: { kind: 'redemptions', cap: 80 } });
    await addCodes(
      system,
      'restart',
      Array.from({ length: 120 }, (_, i) => `RESTART${i}`),
    );
    await addMembers(
      system,
      Array.from({ length: 120 }, (_, i) => `patient-${i}`),
    );
  });
  afterAll(async () => {
    await startPostgres().catch(() => undefined); // never leave the shared server down for the next file
    await system?.stop();
  });

  it('answers 503 in the error shape while it is away; generation and redemptions then finish exactly', async () => {
    const batch = await generate(system, 100_000);
    await eventually(async () => (await generated(system, batch)) >= 10_000, 60_000);

    // Events keep coming; a caller that gets a 503 retries with the same event id, as a producer should.
    const outcomes: Array<{ outcome: string; reason?: string }> = [];
    const stream = (async () => {
      for (let i = 0; i < 120; i++) {
        for (;;) {
          const res = await system.api
            .post('/v1/events')
            .set(system.as('producer'))
            .send({ id: `restart-${i}`, name: 'code_entered', memberId: `patient-${i}`, attributes: { code: `RESTART${i}` } });
          if (res.status === 200) {
            outcomes.push(res.body);
            break;
          }
          expect([res.status, res.body.error?.code]).toEqual([503, 'service_unavailable']);
          await sleep(200);
        }
      }
    })();

    await sleep(300);
    await stopPostgres();
    const health = await system.api.get('/healthz');
    expect([health.status, health.body.error.code]).toEqual([503, 'service_unavailable']);
    const job = await system.api.get(`/v1/code-batches/${batch}`).set(system.as('operator'));
    expect([job.status, typeof job.body.error.message]).toEqual([503, 'string']);
    // An event that arrives now is refused whole; the producer sends it again later (the stream's last one).
    const refused = await system.api
      .post('/v1/events')
      .set(system.as('producer'))
      .send({ id: 'restart-119', name: 'code_entered', memberId: 'patient-119', attributes: { code: 'RESTART119' } });
    expect([refused.status, refused.body.error.code]).toEqual([503, 'service_unavailable']);
    await sleep(3000);
    await startPostgres();

    await stream;
    await expectExact(system, batch, 100_000);
    // Events in flight during the outage, and any that arrived while it was down, got a 503 (nothing written)
    // and were sent again with the same event id. Either way, nothing doubled:
    expect(outcomes.filter((o) => o.outcome === 'redeemed').length).toBe(80);
    expect(outcomes.filter((o) => o.reason === 'budget_exhausted').length).toBe(40);
    const ledger = await system.db.query(`select count(*)::int as n from point_transactions where source = 'campaign:restart'`);
    expect(ledger.rows[0].n).toBe(80);
    expect((await system.db.query(`select budget_used::int as n from campaigns where id = 'restart'`)).rows[0].n).toBe(80);
  });
});

describe('the Temporal server restarted mid-job', () => {
  let temporal: RunningTemporal;
  let system: TestSystem;
  let dir: string;
  let port: number;
  const startServer = () =>
    startTemporalDevServer({ cliPath: process.env.TEST_TEMPORAL_CLI!, dbFile: path.join(dir, 'temporal.sqlite'), port, headless: true });
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
    port = await freePort();
    temporal = await startServer();
    system = await startTestSystem({ temporalAddress: temporal.address, env: { CODE_CHUNK_SIZE: '500' } });
  });
  afterAll(async () => {
    await system?.stop();
    await temporal?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a generation from its SQLite file and finishes exactly', async () => {
    const batch = await generate(system, 100_000);
    await eventually(async () => (await generated(system, batch)) >= 10_000, 60_000);
    await temporal.stop();
    const atStop = await generated(system, batch);
    expect(atStop).toBeLessThan(100_000);
    await sleep(2000);
    temporal = await startServer();
    await expectExact(system, batch, 100_000);
  });
});
