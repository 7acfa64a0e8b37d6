import { z } from 'zod';

/** A subscription receives deliveries while active; paused, it gets no new ones and in-flight ones stop. */
export const WEBHOOK_STATUSES = ['active', 'paused'] as const;
export const webhookStatus = z.enum(WEBHOOK_STATUSES);
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/**
 * One delivery's state: pending (not tried yet), retrying (failed, another attempt is scheduled), delivered
 * (a 2xx answer), failed (gave up after the retry window), cancelled (its subscription was paused or deleted).
 */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'cancelled'] as const;
export const deliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** How a delivery retries: exponential from `initialMs`, each wait at most `maxIntervalMs`, for `windowMs` in all. */
export interface RetrySchedule {
  initialMs: number;
  maxIntervalMs: number;
  windowMs: number;
}
