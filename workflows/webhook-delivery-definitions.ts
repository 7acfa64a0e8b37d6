import { defineSignal } from '@temporalio/workflow';
import type { RetrySchedule } from '../model/webhooks';

// Shared by the delivery workflow, the relay that starts it and the API that asks it to retry now.

export interface DeliverWebhookInput {
  messageId: string;
  subscriptionId: string;
  retry: RetrySchedule;
  /** One attempt's HTTP timeout (WEBHOOK_TIMEOUT_MS). */
  attemptTimeoutMs: number;
}

/** Skips the current wait and attempts at once (POST /v1/webhook-deliveries/:id/redeliver on a retrying delivery). */
export const retryNowSignal = defineSignal('retryNow');

/**
 * One workflow per (message, subscription): a second start for the same pair is refused by Temporal, which
 * is what makes the relay's at-least-once hand-over harmless. A redeliver of a finished delivery is run `run`.
 */
export function deliveryWorkflowId(messageId: string, subscriptionId: string, run = 1): string {
  return `webhook-${messageId}-${subscriptionId}${run > 1 ? `-run${run}` : ''}`;
}
