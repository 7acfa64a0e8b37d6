import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AttemptOutcome, WebhookActivities } from '../activities/webhook-delivery';
import { backoffMs, nextAttemptAt } from '../domain/retry-backoff';
import { retryNowSignal, type DeliverWebhookInput } from './webhook-delivery-definitions';

/**
 * Delivers one message to one subscription, at least once: attempts, and after each failure waits (doubling,
 * capped) until the retry window (24 hours by default) is spent. Every attempt carries the message id. The
 * waits are durable timers, so the schedule survives worker restarts, and each attempt is visible in the UI.
 */
export async function deliverWebhookWorkflow(input: DeliverWebhookInput): Promise<AttemptOutcome> {
  // One attempt is one HTTP request with its own timeout (plus a margin for the database); an activity retry
  // only covers a lost worker or database, and a killed worker's attempt is retried once that time is up.
  const { attemptWebhookDelivery } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: input.attemptTimeoutMs + 5_000,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  let retryNow = false;
  setHandler(retryNowSignal, () => void (retryNow = true));
  const firstAttemptAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    const next = nextAttemptAt(firstAttemptAt, Date.now(), attempt, input.retry);
    const outcome = await attemptWebhookDelivery({ messageId: input.messageId, subscriptionId: input.subscriptionId, nextAttemptAt: next });
    if (outcome !== 'retry') return outcome;
    retryNow = false;
    await condition(() => retryNow, backoffMs(attempt, input.retry));
  }
}
