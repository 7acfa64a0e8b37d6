import type { Database } from '../db/database';
import { outboxBacklog } from '../db/outbox';
import { deliveryBacklogBySubscription } from '../db/webhook-deliveries';
import { countRunningBatches } from '../db/code-batches';
import { jobsRunning, outboxOldestAge, outboxPending, webhookBacklog } from '../observability/metrics';

/** Subscriptions named in the backlog gauge; the rest are summed as "other" (bounded labels). */
export const BACKLOG_SUBSCRIPTIONS = 20;

/**
 * Reads the gauges that are facts of the database, not of this process (outbox backlog, webhook backlog, running
 * jobs), at scrape time: three cheap aggregate queries (the outbox's over its partial index of pending rows).
 * Every worker reports the same values; alert rules take max(), not sum().
 */
export async function refreshWorkerGauges(db: Database): Promise<void> {
  const [outbox, backlog, jobs] = await Promise.all([
    outboxBacklog(db),
    deliveryBacklogBySubscription(db, BACKLOG_SUBSCRIPTIONS),
    countRunningBatches(db),
  ]);
  outboxPending.set(outbox.pending);
  outboxOldestAge.set(outbox.oldestAgeSeconds);
  webhookBacklog.reset();
  for (const b of backlog) webhookBacklog.set({ subscription: b.subscription }, b.backlog);
  for (const kind of ['generation', 'import']) jobsRunning.set({ kind }, jobs.find((j) => j.source === kind)?.running ?? 0);
}
