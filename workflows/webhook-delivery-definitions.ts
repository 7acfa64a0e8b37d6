import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DeliveryBatchSummary } from '../activities/webhook-delivery';
import type { RetrySchedule } from '../model/webhooks';

// Shared by the subscription's delivery workflow, the relay that wakes it and the API (redeliver).

export interface WebhookSubscriptionInput {
  subscriptionId: string;
  retry: RetrySchedule;
  /** One attempt's HTTP timeout (WEBHOOK_TIMEOUT_MS): a batch's activity gets it plus a margin. */
  attemptTimeoutMs: number;
}

/** New deliveries are due (the relay committed some, or a redeliver): take a batch now instead of at the next due time. */
export const wakeSignal = defineSignal('wake');

/** The last batch's summary: backlog, next due time, what failed (the UI's Queries tab). */
export const lastBatchQuery = defineQuery<DeliveryBatchSummary | null>('lastBatch');

/** One long-lived workflow per subscription, so a signal-with-start from any relay or the API reaches the same one. */
export function subscriptionWorkflowId(subscriptionId: string): string {
  return `webhook-subscription-${subscriptionId}`;
}
