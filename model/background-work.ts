import { z } from 'zod';

/**
 * The kinds of background work, each on a task queue of its own with its own activity slots (a slow webhook
 * receiver can't take a generation's): bulk jobs (generation, import, cancel, retention), campaign lifecycles,
 * reservation expiry, webhook delivery.
 */
export const WORK_KINDS = ['bulk', 'campaigns', 'reservations', 'webhooks'] as const;
export const workKind = z.enum(WORK_KINDS);
export type WorkKind = (typeof WORK_KINDS)[number];

/** The tables the retention pass prunes, in its order (deliveries before the outbox rows they refer to). */
export const RETAINED_TABLES = [
  'webhook_deliveries',
  'outbox',
  'idempotency_keys',
  'redemption_events',
  'code_history',
  'audit_log',
] as const;
export const retainedTable = z.enum(RETAINED_TABLES);
export type RetainedTable = (typeof RETAINED_TABLES)[number];
