import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Database } from '../db/database';
import type { Queryable } from '../db/database';
import { listRunningBatches, lockRunningBatch, markBatchFinished } from '../db/code-batches';
import { listRunningDistributions, lockRunningDistribution, markDistributionFinished } from '../db/distributions';
import { closingFor, type WorkflowEnd } from '../domain/job-reconciliation';
import { describeError } from '../model/errors';
import { logger } from '../runtime/logger';
import { reconcilerCloses } from '../observability/metrics';

/** How often a running worker looks for jobs whose workflow ended without closing their row. */
export const RECONCILE_EVERY_MS = 60_000;

/** The workflow's end as Temporal reports it, and the reason or failure message of its closing event. */
async function workflowEnd(client: Client, workflowId: string): Promise<{ end: WorkflowEnd; detail?: string }> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { end: 'NOT_FOUND' };
    throw error;
  }
  const end = description.status.name as WorkflowEnd;
  if (end !== 'TERMINATED' && end !== 'FAILED' && end !== 'CANCELLED') return { end };
  // The closing event is the last one of the run: read the history backwards, one event.
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId, runId: description.runId },
    maximumPageSize: 1,
  });
  const last = history?.events?.[0];
  const detail = last?.workflowExecutionTerminatedEventAttributes?.reason || last?.workflowExecutionFailedEventAttributes?.failure?.message;
  return { end, detail: detail || undefined };
}

/** A table of job rows the reconciler watches: code batches (generations, imports) and distributions. */
interface JobTable {
  listRunning(db: Queryable): Promise<Array<{ id: string; workflowId: string }>>;
  lockRunning(db: Queryable, id: string): Promise<boolean>;
  markFinished(db: Queryable, id: string, status: 'completed' | 'failed', error?: string): Promise<boolean>;
}

const JOB_TABLES: JobTable[] = [
  { listRunning: listRunningBatches, lockRunning: lockRunningBatch, markFinished: markBatchFinished },
  { listRunning: listRunningDistributions, lockRunning: lockRunningDistribution, markFinished: markDistributionFinished },
];

/**
 * Closes every job row still `running` whose workflow has ended in any way (completed, failed, cancelled,
 * terminated, timed out, gone) with the cause. Each row is locked while its workflow is asked about, so a reset
 * that starts a new run at that moment either waits and reopens the row, or is seen running and left alone.
 * Idempotent: several workers may run it at once.
 */
export async function reconcileJobs(db: Database, client: Client): Promise<Array<{ id: string; status: string; error: string | null }>> {
  const closed: Array<{ id: string; status: string; error: string | null }> = [];
  for (const table of JOB_TABLES) {
    for (const job of await table.listRunning(db)) {
      await db.transaction(async (tx) => {
        if (!(await table.lockRunning(tx, job.id))) return;
        const { end, detail } = await workflowEnd(client, job.workflowId);
        const closing = closingFor(end, detail);
        if (!closing) return;
        await table.markFinished(tx, job.id, closing.status, closing.error ?? undefined);
        closed.push({ id: job.id, ...closing });
      });
    }
  }
  reconcilerCloses.inc(closed.length);
  if (closed.length) logger.warn({ closed }, 'closed jobs whose workflow had ended without closing them');
  return closed;
}

/**
 * Runs reconcileJobs once at once (a worker starting after an outage closes what ended meanwhile), then every
 * `everyMs`. A failed pass (database or Temporal away) is logged and tried again at the next tick.
 */
export function startJobReconciler(db: Database, client: Client, everyMs = RECONCILE_EVERY_MS): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = reconcileJobs(db, client).catch((error) =>
      logger.warn({ err: describeError(error) }, 'job reconciliation failed; retrying later'),
    );
  };
  pass();
  const timer = setInterval(() => !stopped && pass(), everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
