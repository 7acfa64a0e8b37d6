import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { generationProgressQuery } from '../../workflows/generate-codes';
import { CheckCharacter } from '../../domain/check-character';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

async function generate(body: object) {
  const res = await system.api.post('/v1/code-batches').set(system.as('operator')).send(body);
  expect(res.status).toBe(202);
  return res.body as { id: string; workflowId: string };
}

async function waitForBatch(id: string) {
  return eventually(async () => {
    const res = await system.api.get(`/v1/code-batches/${id}`).set(system.as('operator'));
    return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : null;
  }, 120_000);
}

async function countCodes(where: string, values: unknown[] = []) {
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where ${where}`, values);
  return rows[0] as { n: number; d: number };
}

describe('bulk code generation', () => {
  it('generates exactly the requested number of unique codes of the requested shape', async () => {
    const batch = await generate({ quantity: 50_000, length: 8, charset: 'alphanumeric', prefix: 'gen-', checkCharacter: 'damm' });
    const done = await waitForBatch(batch.id);
    expect(done).toMatchObject({ status: 'completed', requested: 50_000, generated: 50_000, pool: { type: 'bank', id: null } });
    expect(await countCodes('batch_id = $1', [batch.id])).toEqual({ n: 50_000, d: 50_000 });
    const { rows } = await system.db.query(`select code from codes where batch_id = $1 limit 500`, [batch.id]);
    const check = new CheckCharacter('damm', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    for (const { code } of rows as Array<{ code: string }>) {
      expect(code).toMatch(/^GEN[0-9A-Z]{9}$/);
      expect(check.verify(code.slice(3))).toBe(true);
    }
    // Chunks are separate activities with stable ids, visible to operators in the workflow history.
    const history = await system.temporal.workflow.getHandle(batch.workflowId).fetchHistory();
    const chunkIds = history
      .events!.map((e) => e.activityTaskScheduledEventAttributes?.activityId)
      .filter((id): id is string => !!id && id.startsWith('chunk-'));
    expect(chunkIds.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `chunk-${i}`).sort());
  });

  it('reports progress as a workflow query too', async () => {
    const batch = await generate({ quantity: 20_000, length: 10, charset: 'numeric' });
    await waitForBatch(batch.id);
    const progress = await system.temporal.workflow.getHandle(batch.workflowId).query(generationProgressQuery);
    expect(progress).toEqual({ requested: 20_000, generated: 20_000, chunksDone: 4, chunksTotal: 4 });
  });

  it('runs two concurrent batches into one pool without a collision, and a second batch adds to the pool', async () => {
    // A small keyspace (10^6, 1% each) makes the two batches draw overlapping codes, exercising the redraw path.
    const body = { quantity: 5_000, length: 6, charset: 'numeric', pool: { type: 'campaign', id: 'summer' } };
    const [a, b] = await Promise.all([generate(body), generate(body)]);
    const [doneA, doneB] = await Promise.all([waitForBatch(a.id), waitForBatch(b.id)]);
    expect([doneA.status, doneB.status]).toEqual(['completed', 'completed']);
    expect(doneA.pool).toEqual({ type: 'campaign', id: 'summer' });
    const { rows } = await system.db.query(
      `select count(*)::int as n from codes c join code_pools p on p.id = c.pool_id where p.kind = 'campaign' and p.owner_id = 'summer'`,
    );
    expect(rows[0].n).toBe(10_000);
    expect(await countCodes('batch_id in ($1, $2)', [a.id, b.id])).toEqual({ n: 10_000, d: 10_000 });
    // The batches did meet: some drawn codes already existed and were redrawn rather than inserted twice.
    const redraws = await system.db.query(`select sum(redraws)::int as n from code_batch_chunks where batch_id in ($1, $2)`, [a.id, b.id]);
    expect(redraws.rows[0].n).toBeGreaterThan(0);
  });

  it('finds a code by value whatever its case, spaces and dashes', async () => {
    const batch = await generate({ quantity: 10, length: 12, charset: 'alpha', pool: { type: 'reward', id: 'mug' } });
    await waitForBatch(batch.id);
    const { rows } = await system.db.query(`select code from codes where batch_id = $1 limit 1`, [batch.id]);
    const code = rows[0].code as string;
    const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4, 8)} ${code.slice(8)} `;
    const res = await system.api.get(`/v1/codes/${encodeURIComponent(typed)}`).set(system.as('operator'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code, status: 'unused', pool: { type: 'reward', id: 'mug' }, batchId: batch.id });
    const missing = await system.api.get('/v1/codes/NOPE-NOPE').set(system.as('operator'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('code_not_found');
  });
});
