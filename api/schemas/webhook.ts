import { z } from '../../model/zod';
import { cursorParam, deprecatedCursorParam } from '../cursor';
import { notificationType } from '../../model/notification-types';
import { deliveryStatus, webhookStatus } from '../../model/webhooks';

const url = z
  .string()
  .min(1)
  .max(2000)
  .openapi({ description: 'https URL the notifications are POSTed to', example: 'https://example.com/hooks/loyalty' });
const events = z.array(notificationType).min(1).max(50).openapi({ description: 'Notification types this webhook receives' });
const description = z.string().max(500);

export const createWebhookRequest = z
  .object({ url, events, description: description.optional() })
  .strict()
  .openapi('CreateWebhookRequest', {
    example: { url: 'https://example.com/hooks/loyalty', events: ['redemption.succeeded', 'campaign.ended'], description: 'CRM sync' },
  });

export const updateWebhookRequest = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: description.nullable().optional(),
    status: webhookStatus.optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'send at least one field to change')
  .openapi('UpdateWebhookRequest', { minProperties: 1, example: { events: ['redemption.succeeded'], status: 'paused' } });

export const webhookIdParam = z.object({ id: z.string().uuid() });
export const deliveryIdParam = z.object({ id: z.string().uuid() });
export const deliveryListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: cursorParam,
    before: deprecatedCursorParam('next'),
  })
  .strict();

export const webhookView = z
  .object({
    id: z.string().uuid(),
    url: z.string(),
    events: z.array(notificationType),
    description: z.string().nullable(),
    status: webhookStatus.openapi({ description: 'paused: no new deliveries; in-flight ones stop' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook');

export const createdWebhookView = webhookView
  .extend({
    secret: z.string().optional().openapi({
      description:
        'Signing secret (`whsec_` + base64), shown this once only: absent when the answer is a replay for the same Idempotency-Key (the secret is never stored for replay)',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  })
  .openapi('CreatedWebhook');

export const deliveryView = z
  .object({
    id: z.string().uuid(),
    messageId: z.string().uuid().openapi({ description: 'The `webhook-id` header: the same on every attempt' }),
    webhookId: z.string().uuid(),
    type: notificationType,
    status: deliveryStatus,
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('WebhookDelivery');

export type CreateWebhookRequest = z.infer<typeof createWebhookRequest>;
export type UpdateWebhookRequest = z.infer<typeof updateWebhookRequest>;
