import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Database } from '../db/database';
import { claimPendingOutbox, markOutboxDispatched, outboxTraceContexts, readOutboxCommands } from '../db/outbox';
import { tracingEnabled } from '../observability/tracing';
import { inSpanFrom } from '../observability/trace-context';
import { OUTBOX_COMMAND_TYPES } from '../model/outbox-commands';
import { dispatchOutboxCommand } from './outbox-commands';
import { fanOutDeliveries } from '../db/webhook-deliveries';
import { logger } from '../runtime/logger';
import type { WebhookConfig } from '../runtime/config';
import type { deliverWebhookWorkflow } from '../workflows/deliver-webhook';
import { deliveryWorkflowId } from '../workflows/webhook-delivery-definitions';

const BATCH = 200;
const STARTS_IN_FLIGHT = 16;

/**
 * Hands committed outbox messages to Temporal: one delivery row per (message, subscription that wants its
 * type), committed first; then one delivery workflow per row; then the messages are marked dispatched. At least
 * once: a crash before the mark makes the next pass create no new rows (unique per pair) and start the same
 * workflow ids again, which Temporal refuses (REJECT_DUPLICATE), so nothing is sent twice because of the relay.
 * Several relays (one per worker) split the pending rows with SKIP LOCKED; an overlap is harmless the same way.
 *
 * Why a poll in the worker rather than LISTEN/NOTIFY: NOTIFY takes a global lock at commit, which would
 * serialise every redemption transaction that writes an outbox row; an idle poll of the partial index
 * `outbox_pending` every 200 ms costs nothing measurable and bounds the latency. A full batch is followed
 * at once by the next, so a burst drains at the speed of workflow starts.
 */
export class OutboxRelay {
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly db: Database,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly webhooks: WebhookConfig,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let relayed = 0;
      try {
        relayed = await this.relayBatch();
      } catch (error) {
        // Database or Temporal away: the messages stay pending and the next pass retries them.
        if (!this.stopped) logger.warn({ err: error }, 'outbox relay pass failed; retrying');
      }
      if (relayed < BATCH && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.webhooks.relayIntervalMs);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    }
  }

  /** One pass: returns how many messages it dispatched. */
  async relayBatch(): Promise<number> {
    // The delivery rows commit before any workflow starts: a delivery's first attempt must find its row.
    const batch = await this.db.transaction(async (client) => {
      const ids = await claimPendingOutbox(client, BATCH);
      if (ids.length === 0) return null;
      return {
        ids,
        deliveries: await fanOutDeliveries(client, ids),
        commands: await readOutboxCommands(client, ids, OUTBOX_COMMAND_TYPES),
      };
    });
    if (!batch) return 0;
    // Commands (model/outbox-commands.ts: campaign workflows, generations, reservation expiries) are work for
    // Temporal, not webhooks: no subscription names them, so they have no deliveries.
    for (let i = 0; i < batch.commands.length; i += STARTS_IN_FLIGHT) {
      await Promise.all(batch.commands.slice(i, i + STARTS_IN_FLIGHT).map((m) => dispatchOutboxCommand(this.temporal, this.taskQueue, m)));
    }
    // Tracing on: each start continues the trace of the request that wrote the message (observability/).
    const traces = tracingEnabled ? await outboxTraceContexts(this.db, batch.ids) : new Map<string, string>();
    const start = (d: { messageId: string; subscriptionId: string }) =>
      tracingEnabled
        ? inSpanFrom(traces.get(d.messageId), 'outbox relay', () => this.startDelivery(d.messageId, d.subscriptionId))
        : this.startDelivery(d.messageId, d.subscriptionId);
    for (let i = 0; i < batch.deliveries.length; i += STARTS_IN_FLIGHT) {
      await Promise.all(batch.deliveries.slice(i, i + STARTS_IN_FLIGHT).map(start));
    }
    await markOutboxDispatched(this.db, batch.ids);
    return batch.ids.length;
  }

  private async startDelivery(messageId: string, subscriptionId: string): Promise<void> {
    try {
      await this.temporal.workflow.start<typeof deliverWebhookWorkflow>('deliverWebhookWorkflow', {
        taskQueue: this.taskQueue,
        workflowId: deliveryWorkflowId(messageId, subscriptionId),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ messageId, subscriptionId, retry: this.webhooks.retry, attemptTimeoutMs: this.webhooks.timeoutMs }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
