import type { Database } from '../db/database';
import { findDeliveryTarget, recordAttempt, setDeliveryStatus } from '../db/webhook-deliveries';
import { signWebhook } from '../domain/webhook-signature';
import { postWebhook, type SenderPolicy } from './webhook-http';
import { webhookDeliveries, webhookDuration } from '../observability/metrics';
import { inSpanFrom } from '../observability/trace-context';

export interface AttemptInput {
  messageId: string;
  subscriptionId: string;
  /** When the next attempt runs if this one fails (epoch ms), or null: this is the last one. */
  nextAttemptAt: number | null;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'cancelled';

/** The body every attempt sends for a message: the same bytes each time (jsonb keeps a stable key order). */
export function webhookBody(type: string, createdAt: Date, payload: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: createdAt.toISOString(), data: payload });
}

export function createWebhookActivities(db: Database, policy: SenderPolicy) {
  return {
    /**
     * One signed POST of one message to one subscription, recorded in the delivery log. HTTP failures are an
     * outcome, not an exception: the workflow owns the backoff so the log can show the next attempt.
     */
    async attemptWebhookDelivery(input: AttemptInput): Promise<AttemptOutcome> {
      const target = await findDeliveryTarget(db, input.messageId, input.subscriptionId);
      if (!target || target.subscriptionStatus !== 'active') {
        // Deleted (its deliveries with it) or paused: nothing is sent.
        if (target) await setDeliveryStatus(db, target.deliveryId, 'cancelled');
        webhookDeliveries.inc({ result: 'cancelled' });
        return 'cancelled';
      }
      const body = webhookBody(target.type, target.messageCreatedAt, target.payload);
      const headers = signWebhook(target.secret, target.messageId, Math.floor(Date.now() / 1000), body);
      const timer = webhookDuration.startTimer();
      // The attempt continues the trace of the request that wrote the message (a no-op with tracing off).
      const result = await inSpanFrom(target.traceContext, 'webhook attempt', () => postWebhook(target.url, headers, body, policy));
      timer();
      const outcome: AttemptOutcome =
        result.error === null ? 'delivered' : result.refused || input.nextAttemptAt === null ? 'failed' : 'retry';
      await recordAttempt(db, target.deliveryId, {
        status: outcome === 'retry' ? 'retrying' : outcome === 'delivered' ? 'delivered' : 'failed',
        statusCode: result.statusCode,
        error: result.error,
        nextAttemptAt: outcome === 'retry' ? new Date(input.nextAttemptAt!) : null,
      });
      webhookDeliveries.inc({ result: outcome });
      return outcome;
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
