import { ApplicationFailure } from '@temporalio/common';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { field, queryResult, runStatuses, temporal } from '../support/runbook-cli';
import { chunkRows, codesOf, type ChunkInput } from '../support/batch-rows';

/**
 * The operator's runbook (docs/operations.md) for code generation jobs, command by command, with the real
 * `temporal` CLI against the test Temporal server. Each scenario checks the data an operator's action leaves
 * behind, to the code. Import jobs: operations-import.test.ts.
 */

/** Blocks this thread (the worker's activity included) for `ms`: the fault hooks are synchronous. */
function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('generation jobs', () => {
  // Chunk 5 fails before its commit while `failChunk5` is set (for good, no retry, while `fatalChunk5` is set);
  // `slowMs` makes every chunk take that long.
  let failChunk5 = false;
  let fatalChunk5 = false;
  let slowMs = 0;
  const committedBy = new Map<string, number>(); // `${batchId}:${chunkIndex}` → chunk transactions that drew codes

  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      env: { CODE_CHUNK_SIZE: '2000' },
      faults: {
        generation: {
          beforeCommit(input: ChunkInput, attempt) {
            const key = `${input.batchId}:${input.chunkIndex}`;
            committedBy.set(key, (committedBy.get(key) ?? 0) + 1);
            if (slowMs) sleepSync(slowMs);
            if (failChunk5 && input.chunkIndex === 5) throw new Error(`injected failure of chunk 5 (attempt ${attempt})`);
            if (fatalChunk5 && input.chunkIndex === 5)
              throw ApplicationFailure.nonRetryable('injected fatal failure of chunk 5', 'InjectedFatal');
          },
        },
      },
    });
  });
  afterAll(() => system?.stop());
  beforeEach(() => {
    [failChunk5, fatalChunk5, slowMs] = [false, false, 0];
  });

  const generate = async (quantity: number, length = 10) => {
    const res = await system.api.post('/v1/code-batches').set(system.as('operator')).send({ quantity, length, charset: 'alphanumeric' });
    expect(res.status).toBe(202);
    return res.body as { id: string; workflowId: string };
  };
  const batchView = async (id: string) => (await system.api.get(`/v1/code-batches/${id}`).set(system.as('operator'))).body;
  const completed = (id: string) => eventually(async () => ((await batchView(id)).status === 'completed' ? batchView(id) : null));
  /** Chunk transactions still open in this test's database (a chunk between its claim and its commit). */
  const openChunkTransactions = async () =>
    (
      await system.db.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`,
      )
    ).rows[0].n as number;

  it('describe, show, query and list a completed generation', async () => {
    const batch = await generate(6000);
    // The API gives the workflow id of a batch.
    expect(batch.workflowId).toBe(`generate-codes-${batch.id}`);
    await completed(batch.id);

    const describe = await temporal('workflow', 'describe', '--workflow-id', batch.workflowId);
    expect(field(describe, 'Type')).toBe('generateCodesWorkflow');
    expect(field(describe, 'Status')).toBe('COMPLETED');
    expect(describe).toMatch(/Result\s+\{"chunksDone":3,"chunksTotal":3,"generated":6000,"requested":6000\}/);

    const show = await temporal('workflow', 'show', '--workflow-id', batch.workflowId);
    expect(show.match(/ActivityTaskCompleted/g)).toHaveLength(5); // markBatchRunning, chunk-0..2, finishBatch
    expect(show).toContain('WorkflowExecutionCompleted');

    const progress = queryResult(await temporal('workflow', 'query', '--workflow-id', batch.workflowId, '--type', 'progress'));
    expect(progress).toEqual({ requested: 6000, generated: 6000, chunksDone: 3, chunksTotal: 3 });

    expect(await runStatuses(batch.workflowId, ['Completed'])).toEqual(['Completed']);
  });

  it('reset of a job stuck on a failing chunk replays it; committed chunks are skipped and the count stays exact', async () => {
    failChunk5 = true;
    const batch = await generate(20_000, 9);

    // Stuck: chunk 5 retries (its transaction rolls back each time), the other nine chunks have committed.
    await eventually(async () => (committedBy.get(`${batch.id}:5`) ?? 0) >= 2 && (await chunkRows(system, batch.id)).chunks === 9);
    expect(await batchView(batch.id)).toMatchObject({ status: 'running', generated: 18_000, requested: 20_000 });

    const running = await eventually(async () => {
      const out = await temporal('workflow', 'list', '--query', "WorkflowType='generateCodesWorkflow' AND ExecutionStatus='Running'");
      return out.includes(batch.workflowId) ? out : null;
    });
    expect(running).toMatch(new RegExp(`Running\\s+${batch.workflowId}\\s+generateCodesWorkflow`));

    const stuck = await temporal('workflow', 'describe', '--workflow-id', batch.workflowId);
    expect(field(stuck, 'ActivityId')).toBe('chunk-5');
    expect(Number(field(stuck, 'Attempt'))).toBeGreaterThanOrEqual(2);
    expect(field(stuck, 'LastFailure')).toContain('injected failure of chunk 5');
    const oldRunId = field(stuck, 'RunId')!;

    expect(queryResult(await temporal('workflow', 'query', '--workflow-id', batch.workflowId, '--type', 'progress'))).toEqual({
      requested: 20_000,
      generated: 18_000,
      chunksDone: 9,
      chunksTotal: 10,
    });

    // Reset while chunk 5 is still failing: the new run replays every chunk from the start.
    const reset = await temporal('workflow', 'reset', '--workflow-id', batch.workflowId, '--type', 'FirstWorkflowTask', '--reason', 'test');
    expect(reset).toContain(`Resetting workflow ${batch.workflowId}`);

    // The new run has gone through the nine committed chunks (found by their rows) and waits on chunk 5 again.
    const newRun = await eventually(async () => {
      const out = await temporal('workflow', 'describe', '--workflow-id', batch.workflowId);
      const progress = queryResult(await temporal('workflow', 'query', '--workflow-id', batch.workflowId, '--type', 'progress'));
      return field(out, 'RunId') !== oldRunId && field(out, 'ActivityId') === 'chunk-5' && progress.chunksDone === 9 ? out : null;
    });
    expect(newRun).not.toContain('Results:'); // still running
    // The stuck run is kept, terminated by the reset; the new one runs under the same workflow id.
    expect(await runStatuses(batch.workflowId, ['Terminated', 'Running'])).toEqual(['Terminated', 'Running']);

    failChunk5 = false;
    const done = await completed(batch.id);
    expect(done).toMatchObject({ status: 'completed', generated: 20_000, requested: 20_000 });
    expect(await codesOf(system, batch.id)).toEqual({ n: 20_000, d: 20_000 });
    const chunks = await system.db.query(`select chunk_index, inserted from code_batch_chunks where batch_id = $1 order by 1`, [batch.id]);
    expect(chunks.rows).toEqual(Array.from({ length: 10 }, (_, i) => ({ chunk_index: i, inserted: 2000 })));
    // Nothing was drawn twice: every chunk but 5 drew its codes once, in the first run, and the new run skipped it.
    for (let i = 0; i < 10; i++) if (i !== 5) expect(committedBy.get(`${batch.id}:${i}`)).toBe(1);
    expect(await runStatuses(batch.workflowId, ['Terminated', 'Completed'])).toEqual(['Terminated', 'Completed']);
  });

  it('terminate stops a job without its bookkeeping (the batch stays running); a reset finishes the same batch exactly', async () => {
    failChunk5 = true;
    const batch = await generate(20_000, 9);
    await eventually(async () => (committedBy.get(`${batch.id}:5`) ?? 0) >= 2 && (await chunkRows(system, batch.id)).chunks === 9);

    const out = await temporal('workflow', 'terminate', '--workflow-id', batch.workflowId, '--reason', 'test');
    expect(out).toContain('Workflow terminated');
    expect(await runStatuses(batch.workflowId, ['Terminated'])).toEqual(['Terminated']);
    // A terminated workflow runs no more code: no finishBatch, the row keeps saying `running` (here: the job
    // reconciler that closes it runs in `npm start` and `npm run worker`, proved by job-reconciler.test.ts).
    expect(await batchView(batch.id)).toMatchObject({ status: 'running', generated: 18_000, finishedAt: null });

    failChunk5 = false;
    await temporal('workflow', 'reset', '--workflow-id', batch.workflowId, '--type', 'FirstWorkflowTask', '--reason', 'test');
    expect(await completed(batch.id)).toMatchObject({ status: 'completed', generated: 20_000 });
    expect(await runStatuses(batch.workflowId, ['Terminated', 'Completed'])).toEqual(['Terminated', 'Completed']);
    expect(await codesOf(system, batch.id)).toEqual({ n: 20_000, d: 20_000 });
    expect(await chunkRows(system, batch.id)).toEqual({ chunks: 10, inserted: 20_000 });
  });

  it('a failed job is marked failed with its cause; a reset fills it exactly and completes it', async () => {
    fatalChunk5 = true;
    const batch = await generate(20_000, 9);
    const failed = await eventually(async () => {
      const view = await batchView(batch.id);
      return view.status === 'failed' ? view : null;
    });
    // The row keeps the root cause; the whole chain is in the workflow's history.
    expect(failed.error).toBe('injected fatal failure of chunk 5');
    expect(await runStatuses(batch.workflowId, ['Failed'])).toEqual(['Failed']);
    const history = await temporal('workflow', 'show', '--workflow-id', batch.workflowId);
    expect(history).toContain('ActivityTaskFailed');
    expect(history).toContain('WorkflowExecutionFailed');
    expect(history).toContain('injected fatal failure of chunk 5');

    fatalChunk5 = false;
    await temporal('workflow', 'reset', '--workflow-id', batch.workflowId, '--type', 'FirstWorkflowTask', '--reason', 'test');
    expect(await runStatuses(batch.workflowId, ['Failed', 'Completed'])).toEqual(['Failed', 'Completed']);
    expect(await codesOf(system, batch.id)).toEqual({ n: 20_000, d: 20_000 });
    expect(await chunkRows(system, batch.id)).toEqual({ chunks: 10, inserted: 20_000 });
    // The new run marks the batch running again, then completed.
    expect(await completed(batch.id)).toMatchObject({ status: 'completed', generated: 20_000, error: null });
  });

  it('cancel stops a long job between chunks: no partial chunk, and a reset finishes it', async () => {
    slowMs = 200;
    const batch = await generate(200_000);
    await eventually(async () => (await chunkRows(system, batch.id)).chunks >= 4);

    const out = await temporal('workflow', 'cancel', '--workflow-id', batch.workflowId);
    expect(out).toContain('Canceled workflow');
    expect(await runStatuses(batch.workflowId, ['Canceled'])).toEqual(['Canceled']);

    // A chunk already running when the cancel came is not interrupted (chunks don't heartbeat): it commits whole
    // or not at all. Wait for the worker to finish it, then compare.
    await eventually(async () => {
      const before = await chunkRows(system, batch.id);
      await new Promise((r) => setTimeout(r, 2 * slowMs + 300));
      const after = await chunkRows(system, batch.id);
      return (await openChunkTransactions()) === 0 && after.chunks === before.chunks;
    });
    const chunks = await chunkRows(system, batch.id);
    expect(chunks.chunks).toBeLessThan(100);
    expect(chunks.inserted).toBe(chunks.chunks * 2000);
    expect(await codesOf(system, batch.id)).toEqual({ n: chunks.inserted, d: chunks.inserted });

    const history = await temporal('workflow', 'show', '--workflow-id', batch.workflowId);
    expect(history).toContain('WorkflowExecutionCanceled');
    // The workflow's catch block marks the batch failed in a non-cancellable scope, so a cancel is on record.
    const view = await eventually(async () => {
      const v = await batchView(batch.id);
      return v.status === 'failed' ? v : null;
    });
    expect(view).toMatchObject({ status: 'failed', generated: chunks.inserted });
    expect(view.finishedAt).not.toBeNull();

    slowMs = 0;
    await temporal('workflow', 'reset', '--workflow-id', batch.workflowId, '--type', 'FirstWorkflowTask', '--reason', 'test');
    expect(await completed(batch.id)).toMatchObject({ status: 'completed', generated: 200_000 });
    expect(await runStatuses(batch.workflowId, ['Canceled', 'Completed'])).toEqual(['Canceled', 'Completed']);
    expect(await codesOf(system, batch.id)).toEqual({ n: 200_000, d: 200_000 });
    expect(await chunkRows(system, batch.id)).toEqual({ chunks: 100, inserted: 200_000 });
  });
});
