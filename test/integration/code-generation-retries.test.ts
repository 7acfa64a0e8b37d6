import { startTestSystem, eventually, type TestSystem } from '../support/test-system';

/**
 * Chunk 1 fails on its first attempt just before its commit (the transaction rolls back), chunk 2 on its first
 * attempt just after its commit (the worker "loses" the result). Temporal retries both.
 */
const failures: string[] = [];
function failFirstAttempt(chunkIndex: number, where: string) {
  return (input: { chunkIndex?: number }, attempt: number) => {
    if (input.chunkIndex === chunkIndex && attempt === 1) {
      failures.push(`${where}:${input.chunkIndex}`);
      throw new Error(`injected failure ${where} of chunk ${chunkIndex}`);
    }
  };
}

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({
    env: { CODE_CHUNK_SIZE: '4000' },
    faults: { generation: { beforeCommit: failFirstAttempt(1, 'before-commit'), afterCommit: failFirstAttempt(2, 'after-commit') } },
  });
});
afterAll(() => system?.stop());

it('a chunk that fails before or after its commit is retried without duplicates or gaps', async () => {
  const res = await system.api
    .post('/v1/code-batches')
    .set(system.as('operator'))
    .send({ quantity: 20_000, length: 9, charset: 'alphanumeric' });
  expect(res.status).toBe(202);
  const batch = await eventually(async () => {
    const r = await system.api.get(`/v1/code-batches/${res.body.id}`).set(system.as('operator'));
    return r.body.status === 'completed' ? r.body : null;
  });
  expect(failures.sort()).toEqual(['after-commit:2', 'before-commit:1']);
  expect(batch.generated).toBe(20_000);
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1`, [
    res.body.id,
  ]);
  expect(rows[0]).toEqual({ n: 20_000, d: 20_000 });
  const chunks = await system.db.query(`select chunk_index, inserted from code_batch_chunks where batch_id = $1 order by 1`, [res.body.id]);
  expect(chunks.rows).toEqual([0, 1, 2, 3, 4].map((i) => ({ chunk_index: i, inserted: 4000 })));
  // Both failures are on record in the workflow history, where an operator sees them.
  const history = await system.temporal.workflow.getHandle(res.body.workflowId).fetchHistory();
  const attempts = history.events!.filter(
    (e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1,
  );
  expect(attempts.length).toBe(2);
});
