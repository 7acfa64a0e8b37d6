import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { DomainError } from '../model/errors';
import type { NotificationType } from '../model/notification-types';
import type { WebhookStatus } from '../model/webhooks';
import {
  deleteWebhookSubscription,
  findWebhookSubscription,
  insertWebhookSubscription,
  updateWebhookSubscription,
  type WebhookSubscription,
} from '../db/webhook-subscriptions';
import { findDelivery, reopenDelivery, type WebhookDelivery } from '../db/webhook-deliveries';
import { newWebhookSecret } from '../domain/webhook-signature';
import { webhookUrlProblem } from '../domain/webhook-url';
import type { deliverWebhookWorkflow } from '../workflows/deliver-webhook';
import { deliveryWorkflowId, retryNowSignal } from '../workflows/webhook-delivery-definitions';
import type { AppContext } from './context';
import { SecretBox } from '../domain/secret-box';

export interface WebhookInput {
  url: string;
  events: NotificationType[];
  description?: string | null;
  status?: WebhookStatus;
}

function checkUrl(ctx: AppContext, url: string): void {
  const problem = webhookUrlProblem(url, ctx.config.webhooks);
  if (problem) throw new DomainError('invalid', 'invalid_webhook_url', `url ${problem}`, 'url');
}

/**
 * Saves a subscription with a fresh signing secret, sealed at rest (domain/secret-box.ts); the secret is returned
 * here in the clear, and never again.
 */
export async function createWebhook(ctx: AppContext, input: WebhookInput, actor: string): Promise<WebhookSubscription> {
  checkUrl(ctx, input.url);
  const secret = newWebhookSecret();
  const created = await insertWebhookSubscription(ctx.db, {
    id: randomUUID(),
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description ?? null,
    secret: SecretBox.for(ctx.config.webhooks.secretsKey).seal(secret),
    createdBy: actor,
  });
  return { ...created, secret };
}

export async function updateWebhook(ctx: AppContext, id: string, changes: Partial<WebhookInput>): Promise<WebhookSubscription> {
  if (changes.url !== undefined) checkUrl(ctx, changes.url);
  const updated = await updateWebhookSubscription(ctx.db, id, { ...changes, events: changes.events && [...new Set(changes.events)] });
  if (!updated) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
  return updated;
}

export async function deleteWebhook(ctx: AppContext, id: string): Promise<void> {
  if (!(await deleteWebhookSubscription(ctx.db, id))) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
}

export async function loadWebhook(ctx: AppContext, id: string): Promise<WebhookSubscription> {
  const found = await findWebhookSubscription(ctx.db, id);
  if (!found) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
  return found;
}

/**
 * Sends a delivery again, with the same message id. A delivery still retrying is told to attempt now; a
 * finished one (delivered, failed, cancelled) gets a new run of its workflow.
 */
export async function redeliver(ctx: AppContext, id: string): Promise<WebhookDelivery> {
  const delivery = await findDelivery(ctx.db, id);
  if (!delivery) throw new DomainError('not_found', 'delivery_not_found', `no webhook delivery "${id}"`, 'id');
  const current = ctx.temporal.workflow.getHandle(deliveryWorkflowId(delivery.messageId, delivery.subscriptionId, delivery.runs));
  if (delivery.status === 'pending' || delivery.status === 'retrying') {
    try {
      await current.signal(retryNowSignal);
      return delivery;
    } catch (error) {
      // Finished meanwhile (or never started): a new run below.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  const subscription = await findWebhookSubscription(ctx.db, delivery.subscriptionId);
  if (subscription?.status !== 'active') {
    throw new DomainError('conflict', 'webhook_paused', 'the webhook is paused; resume it before redelivering', 'id');
  }
  const reopened = (await reopenDelivery(ctx.db, id))!;
  try {
    await ctx.temporal.workflow.start<typeof deliverWebhookWorkflow>('deliverWebhookWorkflow', {
      taskQueue: ctx.config.taskQueue,
      workflowId: deliveryWorkflowId(reopened.messageId, reopened.subscriptionId, reopened.runs),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [
        {
          messageId: reopened.messageId,
          subscriptionId: reopened.subscriptionId,
          retry: ctx.config.webhooks.retry,
          attemptTimeoutMs: ctx.config.webhooks.timeoutMs,
        },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return reopened;
}
