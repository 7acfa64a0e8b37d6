import { z } from 'zod';

/**
 * Everything the system tells the outside world (webhooks, alerts). Each type is written to the outbox in the
 * same transaction as the change it reports; its payload is documented and versioned with the webhooks.
 */
export const NOTIFICATION_TYPES = [
  'redemption.succeeded',
  'redemption.rolled_back',
  'reward.redeemed',
  'campaign.started',
  'campaign.ended',
  'campaign.paused',
  'budget.threshold_reached',
  'codes.running_low',
  'code_batch.completed',
  'code_batch.failed',
  'code_import.completed',
  'code_import.failed',
  'distribution.completed',
  'distribution.failed',
] as const;
export const notificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
