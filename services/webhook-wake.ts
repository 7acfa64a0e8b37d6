import type { Client } from '@temporalio/client';
import type { WebhookConfig } from '../runtime/config';
import type { webhookSubscriptionWorkflow } from '../workflows/deliver-webhooks';
import { subscriptionWorkflowId, wakeSignal } from '../workflows/webhook-delivery-definitions';

/**
 * Tells a subscription's delivery workflow that deliveries are due, starting it when it is not running (first
 * message, after a pause, after an operator terminated it): one signal-with-start, so any number of relays and
 * API calls reach the one workflow. The deliveries are already committed; this only shortens their wait.
 */
export async function wakeSubscription(
  temporal: Client,
  taskQueue: string,
  webhooks: WebhookConfig,
  subscriptionId: string,
): Promise<void> {
  await temporal.workflow.signalWithStart<typeof webhookSubscriptionWorkflow>('webhookSubscriptionWorkflow', {
    taskQueue,
    workflowId: subscriptionWorkflowId(subscriptionId),
    args: [{ subscriptionId, retry: webhooks.retry, attemptTimeoutMs: webhooks.timeoutMs }],
    signal: wakeSignal,
  });
}
