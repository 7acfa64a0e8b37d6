import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DeliveryBatchSummary, WebhookActivities } from '../activities/webhook-delivery';
import { PARALLEL_BATCHES, waitAfterBatch } from '../domain/retry-backoff';
import { lastBatchQuery, wakeSignal, type WebhookSubscriptionInput } from './webhook-delivery-definitions';

/** Several batches' summaries as one: counts add up, the backlog and next due time are the latest known. */
function combine(batches: DeliveryBatchSummary[]): DeliveryBatchSummary {
  const sum = (key: 'attempted' | 'delivered' | 'retrying' | 'failed') => batches.reduce((n, b) => n + b[key], 0);
  const due = batches.map((b) => b.nextDueAt).filter((t): t is number => t !== null);
  return {
    subscription: batches.find((b) => b.subscription !== 'active')?.subscription ?? 'active',
    attempted: sum('attempted'),
    delivered: sum('delivered'),
    retrying: sum('retrying'),
    failed: sum('failed'),
    backlog: Math.min(...batches.map((b) => b.backlog)),
    nextDueAt: due.length ? Math.min(...due) : null,
    lastError: batches.map((b) => b.lastError).find((e) => e !== null) ?? null,
  };
}

/** History events before the run continues as new: the history stays small however long the subscription lives. */
const HISTORY_LIMIT = 2_000;

/**
 * Delivers one subscription's messages, at least once, in batches taken from the database (which holds the
 * backlog: the history holds batches, not messages). Each batch is sent at once over keep-alive connections and
 * recorded in one statement; a failed message is rescheduled alone (its next_attempt_at, doubling up to the
 * retry window). The workflow sleeps until the next delivery is due or a wake signal (the relay, a redeliver);
 * it ends when the subscription is paused or deleted, and continues as new to bound its history.
 */
export async function webhookSubscriptionWorkflow(input: WebhookSubscriptionInput): Promise<void> {
  const { deliverWebhookBatch } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: input.attemptTimeoutMs + 10_000,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  let woken = false;
  let last: DeliveryBatchSummary | null = null;
  setHandler(wakeSignal, () => void (woken = true));
  setHandler(lastBatchQuery, () => last);
  while (workflowInfo().historyLength < HISTORY_LIMIT && !workflowInfo().continueAsNewSuggested) {
    woken = false; // a wake-up during the batch makes the next batch start at once
    const inFlight = last && last.backlog > last.attempted ? PARALLEL_BATCHES : 1;
    const batch = { subscriptionId: input.subscriptionId, retry: input.retry };
    last = combine(await Promise.all(Array.from({ length: inFlight }, () => deliverWebhookBatch(batch))));
    if (last.subscription !== 'active') return;
    const wait = waitAfterBatch(last.nextDueAt, last.attempted, Date.now());
    if (wait > 0) await condition(() => woken, wait);
  }
  await continueAsNew<typeof webhookSubscriptionWorkflow>(input);
}
