import { randomUUID } from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { resolvePool } from '../../db/code-pools';
import { findBatch, insertBatch, markBatchRunning } from '../../db/code-batches';
import { reconcileJobs, startJobReconciler } from '../../worker/job-reconciler';

/**
 * Issue 10.3: a job whose workflow ended without its bookkeeping (terminated, timed out, gone) is closed with
 * the cause by the reconciler, on worker start and periodically. The workflows here run on a task queue no
 * worker polls, so nothing but the reconciler can close their rows.
 */
let system: TestSystem;
const idle = `nobody-${randomUUID()}`;

async function runningJob(): Promise<{ id: string; workflowId: string }> {
  const id = randomUUID();
  const workflowId = `generate-codes-${id}`;
  const pool = await resolvePool(system.db, undefined);
  await insertBatch(system.db, {
    id,
    poolId: pool.id,
    source: 'generation',
    requested: 10,
    spec: null,
    shape: null,
    workflowId,
    createdBy: null,
  });
  await markBatchRunning(system.db, id);
  return { id, workflowId };
}

function start(workflowId: string, options: { workflowExecutionTimeout?: string } = {}) {
  return system.temporal.workflow.start('generateCodesWorkflow', { taskQueue: idle, workflowId, args: [{}], ...options });
}

beforeAll(async () => {
  system = await startTestSystem({ inProcessWorker: false });
});
afterAll(() => system?.stop());

it('closes terminated, timed-out and vanished jobs with their cause and leaves running ones alone', async () => {
  const terminated = await runningJob();
  await (await start(terminated.workflowId)).terminate('operator gave up');
  const timedOut = await runningJob();
  const timing = await start(timedOut.workflowId, { workflowExecutionTimeout: '1s' });
  await eventually(async () => (await timing.describe()).status.name === 'TIMED_OUT');
  const vanished = await runningJob(); // its workflow was never started (or has left retention)
  const alive = await runningJob();
  await start(alive.workflowId);

  const closed = await reconcileJobs(system.db, system.temporal);
  expect(closed.map((c) => c.id).sort()).toEqual([terminated.id, timedOut.id, vanished.id].sort());
  expect(await findBatch(system.db, terminated.id)).toMatchObject({
    status: 'failed',
    error: 'the workflow was terminated: operator gave up',
  });
  expect((await findBatch(system.db, terminated.id))!.finishedAt).not.toBeNull();
  expect(await findBatch(system.db, timedOut.id)).toMatchObject({ status: 'failed', error: 'the workflow timed out' });
  expect(await findBatch(system.db, vanished.id)).toMatchObject({ status: 'failed', error: 'the workflow no longer exists in Temporal' });
  expect(await findBatch(system.db, alive.id)).toMatchObject({ status: 'running', finishedAt: null });

  // A second pass changes nothing; a reset's new run marks the row running again (markBatchRunning from failed).
  expect(await reconcileJobs(system.db, system.temporal)).toEqual([]);
  await system.temporal.workflow.getHandle(alive.workflowId).terminate('test over');
});

it('runs on start, then periodically', async () => {
  const first = await runningJob();
  await (await start(first.workflowId)).terminate('before the worker started');
  const reconciler = startJobReconciler(system.db, system.temporal, 500);
  try {
    await eventually(async () => (await findBatch(system.db, first.id))?.status === 'failed');
    const later = await runningJob();
    await (await start(later.workflowId)).terminate('while the worker ran');
    await eventually(async () => (await findBatch(system.db, later.id))?.status === 'failed');
  } finally {
    await reconciler.stop();
  }
});
