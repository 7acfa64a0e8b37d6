import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * The worker runs as its own process (the production entry point) and is SIGKILLed mid-job: no shutdown, no
 * rollback by the worker, in-flight transactions simply die with their connections. A new worker must finish
 * every job exactly.
 */
let system: TestSystem;
let worker: ServiceProcess | undefined;
const op = () => system.as('operator');

beforeAll(async () => {
  // Small chunks make the jobs long enough to be killed in the middle.
  system = await startTestSystem({
    inProcessWorker: false,
    env: { CODE_CHUNK_SIZE: '500', LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' },
  });
});
afterAll(async () => {
  await worker?.stop();
  await system?.stop();
});

const startWorker = () =>
  startServiceProcess('worker/index.ts', {
    DATABASE_URL: system.databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: system.config.taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
    LOCKOUT_MAX_FAILURES: '1000000',
    LOCKOUT_KEY_MIN_FAILURES: '1000000',
  });

/** Waits for `progress()` to pass `threshold`, SIGKILLs the worker, starts a new one; returns the progress at the kill. */
async function killWorkerAt(progress: () => Promise<number>, threshold: number): Promise<number> {
  await eventually(async () => (await progress()) >= threshold, 120_000);
  await worker!.kill();
  const atKill = await progress();
  worker = await startWorker();
  return atKill;
}

const batchProgress = (path: string, field: string) => async () => (await system.api.get(path).set(op())).body[field] as number;
const finished = (path: string) =>
  eventually(async () => {
    const body = (await system.api.get(path).set(op())).body;
    return body.status === 'completed' ? body : null;
  }, 170_000);

it('a generation of 200,000 codes finishes exactly after its worker is SIGKILLed mid-job', async () => {
  worker = await startWorker();
  const res = await system.api.post('/v1/code-batches').set(op()).send({ quantity: 200_000, length: 12, charset: 'alphanumeric' });
  const path = `/v1/code-batches/${res.body.id}`;
  const atKill = await killWorkerAt(batchProgress(path, 'generated'), 20_000);
  expect(atKill).toBeLessThan(200_000); // the kill really happened mid-job
  const done = await finished(path);
  expect(done.generated).toBe(200_000);
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1`, [
    res.body.id,
  ]);
  expect(rows[0]).toEqual({ n: 200_000, d: 200_000 });
  expect((await system.db.query(`select count(*)::int as n from code_batch_chunks where batch_id = $1`, [res.body.id])).rows[0].n).toBe(
    400,
  );
});

it('a 100,000-row CSV import finishes exactly after its worker is SIGKILLed mid-job', async () => {
  const csv = ['code', ...Array.from({ length: 100_000 }, (_, i) => `KILLIMPORT${String(i).padStart(6, '0')}`)].join('\n');
  const res = await system.api.post('/v1/code-imports').set(op()).set('Content-Type', 'text/csv').send(csv);
  expect(res.status).toBe(202);
  const path = `/v1/code-imports/${res.body.id}`;
  const atKill = await killWorkerAt(batchProgress(path, 'imported'), 10_000);
  expect(atKill).toBeLessThan(100_000);
  const done = await finished(path);
  expect(done).toMatchObject({ imported: 100_000, rejected: 0 });
  const { rows } = await system.db.query(`select count(*)::int as n from codes where code like 'KILLIMPORT%'`);
  expect(rows[0].n).toBe(100_000);
});

it('a stream of redemption events books each event exactly once across a SIGKILLed worker, budget exact', async () => {
  worker ??= await startWorker(); // events need no worker any more; it is killed to prove they don't notice
  await createCodeEventSchema(system);
  await createCampaign(system, 'killed', { budget: { kind: 'points', cap: 2000 } }); // 10 points each: 200 fit
  const codes = Array.from({ length: 300 }, (_, i) => `KILLED${i}`);
  await addCodes(system, 'killed', codes);
  await addMembers(
    system,
    codes.map((_, i) => `victim-${i}`),
  );
  let answered = 0;
  const post = async (i: number) => {
    const res = await system.api
      .post('/v1/events')
      .set(system.as('producer'))
      .send({ id: `kill-${i}`, name: 'code_entered', memberId: `victim-${i}`, attributes: { code: codes[i] } });
    answered++;
    return res;
  };
  // 16 callers at a time, like the benchmark; the worker dies once a quarter of the answers are in.
  const results: Array<{ status: number; body: { outcome: string; reason?: string } }> = [];
  let next = 0;
  const callers = Array.from({ length: 16 }, async () => {
    while (next < codes.length) results.push(await post(next++));
  });
  await killWorkerAt(async () => answered, 75);
  await Promise.all(callers);
  expect(results.every((r) => r.status === 200)).toBe(true);
  const redeemed = results.filter((r) => r.body.outcome === 'redeemed').length;
  expect(redeemed).toBe(200);
  expect(results.filter((r) => r.body.reason === 'budget_exhausted').length).toBe(100);
  const ledger = await system.db.query(
    `select count(*)::int as n, count(distinct reference)::int as d from point_transactions where source = 'campaign:killed'`,
  );
  expect(ledger.rows[0]).toEqual({ n: 200, d: 200 });
  expect((await system.db.query(`select budget_used::int as n from campaigns where id = 'killed'`)).rows[0].n).toBe(2000);
  expect((await system.db.query(`select count(*)::int as n from codes where code like 'KILLED%' and status = 'redeemed'`)).rows[0].n).toBe(
    200,
  );
});

it('a distribution to 100,000 members gives each exactly one code, no code twice, after its worker is SIGKILLed mid-job', async () => {
  worker ??= await startWorker();
  const codes = Array.from({ length: 100_000 }, (_, i) => `KILLDIST${String(i).padStart(6, '0')}`);
  await addCodes(system, 'kill-dist', codes);
  const members = Array.from({ length: 100_000 }, (_, i) => `kd-${String(i).padStart(6, '0')}`);
  await addMembers(system, members, { tags: ['kill-dist'] });
  const res = await system.api
    .post('/v1/distributions')
    .set(system.as('marketer'))
    .send({ pool: { type: 'campaign', id: 'kill-dist' }, audience: { type: 'filter', tags: ['kill-dist'] } });
  expect(res.status).toBe(202);
  const path = `/v1/distributions/${res.body.id}`;
  const atKill = await killWorkerAt(batchProgress(path, 'assigned'), 10_000);
  expect(atKill).toBeLessThan(100_000);
  const done = await finished(path);
  expect(done).toMatchObject({ members: 100_000, assigned: 100_000 });
  const { rows } = await system.db.query(
    `select count(*)::int as n, count(distinct member_id)::int as members, count(distinct code)::int as codes
       from distribution_assignments where distribution_id = $1`,
    [res.body.id],
  );
  expect(rows[0]).toEqual({ n: 100_000, members: 100_000, codes: 100_000 });
  const held = await system.db.query(
    `select count(*)::int as n, count(distinct member_id)::int as members from codes where code like 'KILLDIST%' and status = 'assigned'`,
  );
  expect(held.rows[0]).toEqual({ n: 100_000, members: 100_000 });
});
