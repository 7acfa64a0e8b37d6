import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { parse } from '../validate';
import { deprecatedNextField, isUuid, keysetPage, nextCursorField, readTimeAndId, decodeRequestedCursor } from '../cursor';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import {
  createdWebhookView,
  createWebhookRequest,
  deliveryIdParam,
  deliveryListQuery,
  deliveryView,
  updateWebhookRequest,
  webhookIdParam,
  webhookView,
} from '../schemas/webhook';
import { listWebhookSubscriptions, type WebhookSubscription } from '../../db/webhook-subscriptions';
import { listDeliveries, type WebhookDelivery } from '../../db/webhook-deliveries';
import { createWebhook, deleteWebhook, loadWebhook, redeliver, updateWebhook } from '../../services/webhooks';
import type { AppContext } from '../../services/context';
import { replayAs } from '../idempotency';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(w: WebhookSubscription) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    status: w.status,
    createdAt: iso(w.createdAt)!,
    updatedAt: iso(w.updatedAt)!,
  };
}

function deliveryJson(d: WebhookDelivery) {
  return {
    id: d.id,
    messageId: d.messageId,
    webhookId: d.subscriptionId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt)!,
  };
}

const readDeliveryKey = readTimeAndId(isUuid);

const webhookId = (raw: unknown) => {
  const parsed = webhookIdParam.safeParse({ id: raw });
  if (!parsed.success) throw new ApiError(404, 'webhook_not_found', `no webhook "${String(raw)}"`, 'id');
  return parsed.data.id;
};

export function webhookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/webhooks', allow('marketer'), async (req, res) => {
    const created = await createWebhook(ctx, parse(createWebhookRequest, req.body), req.principal!.id);
    replayAs(res, view(created)); // a retry with the same Idempotency-Key answers the webhook without its secret
    res
      .status(201)
      .location(`/v1/webhooks/${created.id}`)
      .json({ ...view(created), secret: created.secret });
  });
  router.get('/webhooks', allow('marketer'), async (_req, res) => {
    res.json({ webhooks: (await listWebhookSubscriptions(ctx.db)).map(view) });
  });
  router.get('/webhooks/:id', allow('marketer'), async (req, res) => {
    res.json(view(await loadWebhook(ctx, webhookId(req.params.id))));
  });
  router.patch('/webhooks/:id', allow('marketer'), async (req, res) => {
    const id = webhookId(req.params.id);
    res.json(view(await updateWebhook(ctx, id, parse(updateWebhookRequest, req.body), req.principal!.id)));
  });
  router.delete('/webhooks/:id', allow('marketer'), async (req, res) => {
    await deleteWebhook(ctx, webhookId(req.params.id), req.principal!.id);
    res.status(204).end();
  });
  router.get('/webhooks/:id/deliveries', allow('marketer'), async (req, res) => {
    const webhook = await loadWebhook(ctx, webhookId(req.params.id));
    const query = parse(deliveryListQuery, req.query);
    const before = decodeRequestedCursor(query, 'before', readDeliveryKey);
    const rows = await listDeliveries(ctx.db, webhook.id, query.limit + 1, before);
    const { items, nextCursor } = keysetPage(rows, query.limit, (d) => [d.pageAt, d.id]);
    res.json({ deliveries: items.map(deliveryJson), nextCursor, next: nextCursor });
  });
  router.post('/webhook-deliveries/:id/redeliver', allow('marketer'), async (req, res) => {
    const parsed = deliveryIdParam.safeParse({ id: req.params.id });
    if (!parsed.success) throw new ApiError(404, 'delivery_not_found', `no webhook delivery "${String(req.params.id)}"`, 'id');
    res.status(202).json(deliveryJson(await redeliver(ctx, parsed.data.id, req.principal!.id)));
  });
  return router;
}

export function describeWebhookRoutes(registry: OpenAPIRegistry): void {
  const json = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema } } });
  const params = { params: webhookIdParam };
  const deliveries = z.object({ deliveries: z.array(deliveryView), nextCursor: nextCursorField, next: deprecatedNextField() });
  const paths: Array<[method: 'get' | 'post' | 'patch' | 'delete', path: string, summary: string, request: object, responses: object]> = [
    [
      'post',
      '/v1/webhooks',
      'Subscribe a URL to notification types; answers the signing secret, once',
      { body: jsonBody(createWebhookRequest) },
      { 201: json('The webhook, with its secret', createdWebhookView), ...errorResponses(400, 401, 403, 415) },
    ],
    [
      'get',
      '/v1/webhooks',
      'Every webhook (secrets are never shown again)',
      {},
      { 200: json('Webhooks', z.object({ webhooks: z.array(webhookView) })), ...errorResponses(401, 403) },
    ],
    ['get', '/v1/webhooks/{id}', 'One webhook', params, { 200: json('The webhook', webhookView), ...errorResponses(401, 403, 404) }],
    [
      'patch',
      '/v1/webhooks/{id}',
      'Pause or resume a webhook, change its URL, events or description',
      { ...params, body: jsonBody(updateWebhookRequest) },
      { 200: json('The webhook', webhookView), ...errorResponses(400, 401, 403, 404, 415) },
    ],
    [
      'delete',
      '/v1/webhooks/{id}',
      'Delete a webhook and its delivery log; in-flight deliveries stop',
      params,
      { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    ],
    [
      'get',
      '/v1/webhooks/{id}/deliveries',
      'Delivery log, newest first: status, attempts, last response code and error, next attempt',
      { ...params, query: deliveryListQuery },
      { 200: json('Deliveries', deliveries), ...errorResponses(400, 401, 403, 404) },
    ],
    [
      'post',
      '/v1/webhook-deliveries/{id}/redeliver',
      'Send a delivery again with the same message id (at once if it is waiting to retry)',
      { params: deliveryIdParam },
      { 202: json('The delivery', deliveryView), ...errorResponses(401, 403, 404, 409) },
    ],
  ];
  for (const [method, path, summary, request, responses] of paths) {
    registry.registerPath({ method, path, summary, tags: ['Webhooks'], request, responses: responses as never });
  }
}
