import { heartbeat } from '@temporalio/activity';
import type { Database, Queryable } from '../db/database';
import { deleteOldCodeHistory } from '../db/code-history';
import { deleteOldAuditEntries } from '../db/audit-log';
import { deleteExpiredIdempotencyKeys } from '../db/idempotency-keys';
import { deleteDispatchedOutbox } from '../db/outbox';
import { deleteOldRejectedEvents } from '../db/redemption-events';
import { deleteFinishedDeliveries } from '../db/webhook-deliveries';
import type { RetainedTable } from '../model/background-work';

const DELETERS: Record<RetainedTable, (db: Queryable, hours: number, limit: number) => Promise<number>> = {
  webhook_deliveries: deleteFinishedDeliveries,
  outbox: deleteDispatchedOutbox,
  idempotency_keys: deleteExpiredIdempotencyKeys,
  redemption_events: deleteOldRejectedEvents,
  code_history: deleteOldCodeHistory,
  audit_log: deleteOldAuditEntries,
};

export interface PruneInput {
  table: RetainedTable;
  hours: number;
  batchSize: number;
}

/** One activity's share of the work: then it returns (the history shows progress) and the workflow calls again. */
const ACTIVITY_BUDGET_MS = 20_000;
/** Between two deletes: the table's other writers get the disk and the locks in between. */
const PAUSE_MS = 20;

export function createRetentionActivities(db: Database) {
  return {
    /**
     * Deletes a table's expired rows in small statements (each its own short transaction, skipping locked rows,
     * so a redemption never waits behind it) until none is left or the time budget is spent.
     */
    async pruneExpiredRows(input: PruneInput): Promise<{ deleted: number; more: boolean }> {
      const started = Date.now();
      let deleted = 0;
      for (;;) {
        const n = await DELETERS[input.table](db, input.hours, input.batchSize);
        deleted += n;
        heartbeat(deleted);
        if (n < input.batchSize) return { deleted, more: false };
        if (Date.now() - started > ACTIVITY_BUDGET_MS) return { deleted, more: true };
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
