import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/retention';
import type { RetainedTable } from '../model/background-work';

export interface RetentionInput {
  /** Age in hours past which each table's done rows go. */
  hours: Record<RetainedTable, number>;
  batchSize: number;
}

/**
 * One retention pass, started by the Schedule `retention` (visible under Schedules in the Temporal UI): each table
 * in turn, in activities that delete small batches, until nothing expired is left. Returns what went, per table.
 */
export async function retentionWorkflow(input: RetentionInput): Promise<Record<string, number>> {
  const { pruneExpiredRows } = proxyActivities<RetentionActivities>({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
  });
  const deleted: Record<string, number> = {};
  for (const [table, hours] of Object.entries(input.hours) as Array<[RetainedTable, number]>) {
    deleted[table] = 0;
    for (let more = true; more;) {
      const pass = await pruneExpiredRows({ table, hours, batchSize: input.batchSize });
      deleted[table] += pass.deleted;
      more = pass.more;
    }
  }
  return deleted;
}
