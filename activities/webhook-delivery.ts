import type { Database } from '../db/database';
import { deliveryBacklog, leaseDueDeliveries, recordAttempts, type AttemptResult, type DueDelivery } from '../db/webhook-deliveries';
import { findWebhookSubscription, markDeliveryIdle, type WebhookSubscription } from '../db/webhook-subscriptions';
import { nextAttemptAt, PARALLEL_BATCHES, waitAfterBatch } from '../domain/retry-backoff';
import { signWebhook } from '../domain/webhook-signature';
import type { SecretBox } from '../domain/secret-box';
import type { RetrySchedule } from '../model/webhooks';
import { WebhookAgents } from './webhook-agents';
import { checkResolvedTarget, postWebhook, type SendResult, type SenderPolicy } from './webhook-http';
import { webhookDeliveries, webhookDuration } from '../observability/metrics';
import { inSpanFrom } from '../observability/trace-context';

export interface DeliveryBatchInput {
  subscriptionId: string;
  retry: RetrySchedule;
}

/**
 * What one batch did, and what is left: the activity's result in the workflow's history, so an operator reads a
 * subscription's backlog and failures batch by batch in the Temporal UI.
 */
export interface DeliveryBatchSummary {
  /** active: carry on; paused or gone (deleted): the workflow ends (a resume or a new message starts it again). */
  subscription: 'active' | 'paused' | 'gone';
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
  /** Deliveries still to send after this batch (due now or waiting to retry). */
  backlog: number;
  /** When the earliest of them is due (epoch ms), or null when there is none. */
  nextDueAt: number | null;
  /** The last failure of the batch, for the UI. */
  lastError: string | null;
}

export interface DeliveryBatchSettings {
  /** Deliveries one batch takes (all sent at once over the subscription's keep-alive connections). */
  batchSize: number;
  /** One attempt's HTTP time limit. */
  timeoutMs: number;
}

/** A batch's lease: its attempts run side by side, so one time limit, plus a margin for the database. */
export const leaseMs = (settings: DeliveryBatchSettings) => settings.timeoutMs + 5_000;

/** The body every attempt sends for a message: the same bytes each time (jsonb keeps a stable key order). */
export function webhookBody(type: string, createdAt: Date, payload: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: createdAt.toISOString(), data: payload });
}

/** One attempt's send result as the log records it: delivered, retrying (with when), or failed for good. */
export function attemptResult(delivery: DueDelivery, sent: SendResult, now: number, retry: RetrySchedule): AttemptResult {
  if (sent.error === null) return { id: delivery.id, status: 'delivered', statusCode: sent.statusCode, error: null, nextAttemptAt: null };
  const next = sent.refused ? null : nextAttemptAt(delivery.retryFrom.getTime(), now, delivery.runAttempts + 1, retry);
  return {
    id: delivery.id,
    status: next === null ? 'failed' : 'retrying',
    statusCode: sent.statusCode,
    error: sent.error,
    nextAttemptAt: next === null ? null : new Date(next),
  };
}

/** `secrets` opens the signing secrets, sealed at rest (domain/secret-box.ts). */
export function createWebhookActivities(db: Database, policy: SenderPolicy, settings: DeliveryBatchSettings, secrets: SecretBox) {
  // Room for every batch of a subscription in flight in this worker: a request never waits for a socket (its time limit runs).
  const agents = new WebhookAgents(settings.batchSize * PARALLEL_BATCHES);

  async function send(subscription: WebhookSubscription, due: DueDelivery[]): Promise<SendResult[]> {
    const refused = await checkResolvedTarget(subscription.url, policy);
    if (refused) return due.map(() => refused);
    const agent = agents.for(subscription.id, new URL(subscription.url));
    return Promise.all(
      due.map((d) => {
        const body = webhookBody(d.type, d.messageCreatedAt, d.payload);
        const headers = signWebhook(secrets.open(subscription.secret), d.messageId, Math.floor(Date.now() / 1000), body);
        // Each attempt continues the trace of the request that wrote its message (a no-op with tracing off).
        return inSpanFrom(d.traceContext, 'webhook attempt', async () => {
          const timer = webhookDuration.startTimer();
          try {
            return await postWebhook(subscription.url, headers, body, policy, agent);
          } finally {
            timer();
          }
        });
      }),
    );
  }

  return {
    /**
     * Sends one batch of a subscription's due deliveries at once and records every result in one statement;
     * failures are rescheduled one by one (their own backoff). HTTP failures are results, not exceptions: an
     * activity retry only covers a lost worker or database, and leased rows come due again if this one dies.
     */
    async deliverWebhookBatch(input: DeliveryBatchInput): Promise<DeliveryBatchSummary> {
      const subscription = await findWebhookSubscription(db, input.subscriptionId);
      const summary: DeliveryBatchSummary = {
        subscription: subscription ? subscription.status : 'gone',
        attempted: 0,
        delivered: 0,
        retrying: 0,
        failed: 0,
        backlog: 0,
        nextDueAt: null,
        lastError: null,
      };
      if (!subscription || subscription.status !== 'active') {
        agents.drop(input.subscriptionId);
        await markDeliveryIdle(db, input.subscriptionId); // its workflow ends: the next message starts it again
        return summary;
      }
      const due = await leaseDueDeliveries(db, subscription.id, settings.batchSize, leaseMs(settings));
      const sent = due.length ? await send(subscription, due) : [];
      const now = Date.now();
      const results = due.map((d, i) => attemptResult(d, sent[i], now, input.retry));
      await recordAttempts(db, results);
      for (const r of results) {
        summary[r.status as 'delivered' | 'retrying' | 'failed']++;
        webhookDeliveries.inc({ result: r.status === 'retrying' ? 'retry' : r.status });
        if (r.error) summary.lastError = r.error;
      }
      summary.attempted = results.length;
      let backlog = await deliveryBacklog(db, subscription.id);
      if (waitAfterBatch(backlog.nextDueAt?.getTime() ?? null, results.length, Date.now()) > 0) {
        // The workflow will sleep: mark it so a relay wakes it, then look again (a delivery committed in between).
        await markDeliveryIdle(db, subscription.id);
        backlog = await deliveryBacklog(db, subscription.id);
      }
      return { ...summary, backlog: backlog.waiting, nextDueAt: backlog.nextDueAt?.getTime() ?? null };
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
