import { randomUUID } from 'node:crypto';
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
import { webhookDeliveries } from '../observability/metrics';
import { cancelWaitingDeliveries, findDelivery, reopenDelivery, type WebhookDelivery } from '../db/webhook-deliveries';
import { newWebhookSecret } from '../domain/webhook-signature';
import { webhookUrlProblem } from '../domain/webhook-url';
import { wakeSubscription } from './webhook-wake';
import type { AppContext } from './context';
import { SecretBox } from '../domain/secret-box';
import { recordChange } from '../db/audit-log';

/** What the history shows of a subscription: never its secret, sealed or not. */
const historyView = (s: WebhookSubscription) => ({ url: s.url, events: s.events, description: s.description, status: s.status });

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
  const created = await ctx.db.transaction(async (tx) => {
    const saved = await insertWebhookSubscription(tx, {
      id: randomUUID(),
      url: input.url,
      events: [...new Set(input.events)],
      description: input.description ?? null,
      secret: SecretBox.for(ctx.config.webhooks.secretsKey).seal(secret),
      createdBy: actor,
    });
    await recordChange(tx, { actor, entityType: 'webhook', entityId: saved.id, action: 'create', after: historyView(saved) });
    return saved;
  });
  return { ...created, secret };
}

export async function updateWebhook(
  ctx: AppContext,
  id: string,
  changes: Partial<WebhookInput>,
  actor: string,
): Promise<WebhookSubscription> {
  if (changes.url !== undefined) checkUrl(ctx, changes.url);
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await findWebhookSubscription(tx, id, true);
    if (!before) return null;
    const saved = (await updateWebhookSubscription(tx, id, { ...changes, events: changes.events && [...new Set(changes.events)] }))!;
    // Paused: what waits is cancelled with the pause, so nothing more is sent (a batch already on the wire finishes).
    const cancelled = saved.status === 'paused' ? await cancelWaitingDeliveries(tx, id) : 0;
    await recordChange(tx, {
      actor,
      entityType: 'webhook',
      entityId: id,
      action: 'update',
      before: historyView(before),
      after: historyView(saved),
      detail: cancelled ? { cancelledDeliveries: cancelled } : null,
    });
    return { saved, cancelled };
  });
  if (updated?.cancelled) webhookDeliveries.inc({ result: 'cancelled' }, updated.cancelled); // after the commit
  if (!updated) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
  return updated.saved;
}

export async function deleteWebhook(ctx: AppContext, id: string, actor: string): Promise<void> {
  const deleted = await ctx.db.transaction(async (tx) => {
    const before = await findWebhookSubscription(tx, id, true);
    if (!before || !(await deleteWebhookSubscription(tx, id))) return false;
    await recordChange(tx, { actor, entityType: 'webhook', entityId: id, action: 'delete', before: historyView(before) });
    return true;
  });
  if (!deleted) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
}

export async function loadWebhook(ctx: AppContext, id: string): Promise<WebhookSubscription> {
  const found = await findWebhookSubscription(ctx.db, id);
  if (!found) throw new DomainError('not_found', 'webhook_not_found', `no webhook "${id}"`, 'id');
  return found;
}

/**
 * Sends a delivery again, with the same message id: it is due at once (committed first), and its
 * subscription's workflow is woken to take it. A finished delivery (delivered, failed, cancelled) counts a new run.
 */
export async function redeliver(ctx: AppContext, id: string, actor: string): Promise<WebhookDelivery> {
  const delivery = await findDelivery(ctx.db, id);
  if (!delivery) throw new DomainError('not_found', 'delivery_not_found', `no webhook delivery "${id}"`, 'id');
  const subscription = await findWebhookSubscription(ctx.db, delivery.subscriptionId);
  if (subscription?.status !== 'active') {
    throw new DomainError('conflict', 'webhook_paused', 'the webhook is paused; resume it before redelivering', 'id');
  }
  const reopened = await ctx.db.transaction(async (tx) => {
    const row = (await reopenDelivery(tx, id))!;
    await recordChange(tx, {
      actor,
      entityType: 'webhook_delivery',
      entityId: id,
      action: 'redeliver',
      before: { status: delivery.status },
      after: { status: row.status },
      detail: { webhookId: row.subscriptionId },
    });
    return row;
  });
  // Committed: if the wake-up fails the outbox relay's sweep wakes the workflow soon after.
  await wakeSubscription(ctx.temporal, ctx.config.taskQueues.webhooks, ctx.config.webhooks, reopened.subscriptionId);
  return reopened;
}
