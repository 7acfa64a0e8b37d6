import type { Queryable } from './database';

/**
 * The life of a job row, the same for code batches (generations, imports) and distributions: its workflow
 * marks it running and finished, the job reconciler finds and locks the rows still running.
 */
export function jobRows(table: 'code_batches' | 'distributions') {
  return {
    /** A new run of the job (first start, or an operator's reset of a failed one) marks it running again. */
    async markRunning(db: Queryable, id: string): Promise<void> {
      await db.query(
        `update ${table} set status = 'running', error = null, finished_at = null, started_at = coalesce(started_at, now())
          where id = $1 and status in ('pending', 'failed')`,
        [id],
      );
    },

    /** Returns whether this call finished the job (false: it had finished already, e.g. a retried activity, or was cancelled). */
    async markFinished(db: Queryable, id: string, status: 'completed' | 'failed', error?: string): Promise<boolean> {
      const result = await db.query(
        `update ${table} set status = $2, error = $3, finished_at = now() where id = $1 and status in ('pending', 'running')`,
        [id, status, error ?? null],
      );
      return (result.rowCount ?? 0) > 0;
    },

    /** Rows that say `running`: what the reconciler compares with Temporal. */
    async listRunning(db: Queryable): Promise<Array<{ id: string; workflowId: string }>> {
      const { rows } = await db.query(`select id, workflow_id as "workflowId" from ${table} where status = 'running' order by created_at`);
      return rows as Array<{ id: string; workflowId: string }>;
    },

    /** Locks a row while it is still `running` (false once it isn't): a reset's new run waits on the lock. */
    async lockRunning(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`select 1 from ${table} where id = $1 and status = 'running' for update`, [id]);
      return rowCount === 1;
    },
  };
}
