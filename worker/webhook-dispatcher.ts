import type { Client } from '@temporalio/client';
import type { Database } from '../db/database';
import { deliveryTargets, fanOutDeliveries, subscriptionsWithOverdueDeliveries } from '../db/webhook-deliveries';
import { takeIdleSubscriptions } from '../db/webhook-subscriptions';
import type { WebhookConfig } from '../runtime/config';
import { wakeSubscription } from '../services/webhook-wake';
import type { OutboxMessage } from '../db/outbox';
import type { Queryable } from '../db/database';
import { tracingEnabled } from '../observability/tracing';
import { inSpanFrom } from '../observability/trace-context';
import type { OutboxDispatcher } from './outbox-relay';

/** How often the sweep looks for deliveries whose subscription workflow missed its wake-up. */
const SWEEP_EVERY_MS = 5_000;
/** Overdue by more than this: not just a backlog being drained, no workflow is taking it. */
const OVERDUE_GRACE_MS = 30_000;

/**
 * The webhook side of the outbox: a message becomes one delivery row per subscription that wants its type, in
 * the relay's transaction (the database holds the backlog), and each subscription's workflow that may be asleep
 * (`delivery_idle`) is woken once the rows have committed. A wake-up lost to a crash between the two is made good by the sweep: any active
 * subscription with deliveries long overdue is woken (or its workflow started) again.
 */
export function createWebhookDispatch(db: Database, temporal: Client, taskQueue: string, webhooks: WebhookConfig) {
  const wake = (ids: string[]) => Promise.all(ids.map((id) => wakeSubscription(temporal, taskQueue, webhooks, id))).then(() => undefined);
  let sweptAt = 0;
  const dispatcher: OutboxDispatcher = {
    async dispatch(tx, messages) {
      const subscriptions = await fanOutDeliveries(
        tx,
        messages.map((m) => m.id),
      );
      if (subscriptions.length === 0) return undefined;
      // Only workflows that may be asleep are signalled: one busy with batches finds the rows by itself.
      if (!tracingEnabled) return async () => wake(await takeIdleSubscriptions(db, subscriptions));
      const traced = await tracedMessages(tx, messages);
      return async () => {
        const idle = new Set(await takeIdleSubscriptions(db, subscriptions));
        // Tracing on: a message's hand-over is a span of the trace of the request that wrote it (its `outbox relay`
        // span), and the wake-ups of the subscriptions it reaches first (the signal-with-start) are inside it.
        for (const m of traced) {
          const mine = m.subscriptions.filter((id) => idle.delete(id));
          await inSpanFrom(m.traceContext, 'outbox relay', () => wake(mine));
        }
        await wake([...idle]);
      };
    },
  };
  async function sweep(): Promise<void> {
    if (Date.now() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = Date.now();
    await wake(await subscriptionsWithOverdueDeliveries(db, OVERDUE_GRACE_MS));
  }
  return { dispatcher, sweep };
}

/** The messages with a stored trace context, each with the subscriptions its deliveries go to. */
async function tracedMessages(tx: Queryable, messages: OutboxMessage[]): Promise<Array<{ traceContext: string; subscriptions: string[] }>> {
  const traced = messages.filter((m) => m.traceContext);
  if (traced.length === 0) return [];
  const targets = await deliveryTargets(
    tx,
    traced.map((m) => m.id),
  );
  return traced.map((m) => ({
    traceContext: m.traceContext!,
    subscriptions: targets.filter((t) => t.messageId === m.id).map((t) => t.subscriptionId),
  }));
}
