import type { Queryable } from './database';
import { fullPrecisionTime, type WithPageKey } from './keyset';
import type { DeliveryStatus } from '../model/webhooks';

export interface WebhookDelivery {
  id: string;
  messageId: string;
  subscriptionId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  runs: number;
  createdAt: Date;
}

/** What one attempt needs: the message, and where and how to send it. */
export interface DeliveryTarget {
  deliveryId: string;
  status: DeliveryStatus;
  messageId: string;
  type: string;
  payload: Record<string, unknown>;
  messageCreatedAt: Date;
  url: string;
  secret: string;
  subscriptionStatus: string;
  /** The W3C traceparent stored with the message (null unless tracing was on when it was written). */
  traceContext: string | null;
}

const COLUMNS = `d.id, d.message_id as "messageId", d.subscription_id as "subscriptionId", o.type, d.status, d.attempts,
  d.last_status_code as "lastStatusCode", d.last_error as "lastError", d.last_attempt_at as "lastAttemptAt",
  d.next_attempt_at as "nextAttemptAt", d.delivered_at as "deliveredAt", d.runs, d.created_at as "createdAt"`;

/**
 * Creates one delivery per (message, active subscription wanting its type) for the given messages; returns every
 * delivery those messages have (new or from an earlier, interrupted relay pass).
 */
export async function fanOutDeliveries(db: Queryable, messageIds: string[]): Promise<Array<{ messageId: string; subscriptionId: string }>> {
  await db.query(
    `insert into webhook_deliveries (id, message_id, subscription_id)
     select gen_random_uuid(), o.id, s.id from outbox o
       join webhook_subscriptions s on s.status = 'active' and o.type = any(s.events)
      where o.id = any($1::uuid[])
     on conflict (message_id, subscription_id) do nothing`,
    [messageIds],
  );
  const { rows } = await db.query(
    `select message_id as "messageId", subscription_id as "subscriptionId" from webhook_deliveries
      where message_id = any($1::uuid[])`,
    [messageIds],
  );
  return rows as Array<{ messageId: string; subscriptionId: string }>;
}

export async function findDelivery(db: Queryable, id: string): Promise<WebhookDelivery | null> {
  const { rows } = await db.query(`select ${COLUMNS} from webhook_deliveries d join outbox o on o.id = d.message_id where d.id = $1`, [id]);
  return (rows[0] as WebhookDelivery | undefined) ?? null;
}

/** A subscription's deliveries, newest first, with keyset pagination on (created_at, id); `before.at` is a `pageAt`. */
export async function listDeliveries(
  db: Queryable,
  subscriptionId: string,
  limit: number,
  before?: { at: string; id: string },
): Promise<Array<WithPageKey<WebhookDelivery>>> {
  const { rows } = await db.query(
    `select ${COLUMNS}, ${fullPrecisionTime('d.created_at')} as "pageAt" from webhook_deliveries d join outbox o on o.id = d.message_id
      where d.subscription_id = $1 and ($3::timestamptz is null or (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
      order by d.created_at desc, d.id desc limit $2`,
    [subscriptionId, limit, before?.at ?? null, before?.id ?? null],
  );
  return rows as Array<WithPageKey<WebhookDelivery>>;
}

export async function findDeliveryTarget(db: Queryable, messageId: string, subscriptionId: string): Promise<DeliveryTarget | null> {
  const { rows } = await db.query(
    `select d.id as "deliveryId", d.status, o.id as "messageId", o.type, o.payload, o.created_at as "messageCreatedAt",
            s.url, s.secret, s.status as "subscriptionStatus", o.trace_context as "traceContext"
       from webhook_deliveries d join outbox o on o.id = d.message_id join webhook_subscriptions s on s.id = d.subscription_id
      where d.message_id = $1 and d.subscription_id = $2`,
    [messageId, subscriptionId],
  );
  return (rows[0] as DeliveryTarget | undefined) ?? null;
}

export interface AttemptRecord {
  status: DeliveryStatus;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

export async function recordAttempt(db: Queryable, deliveryId: string, a: AttemptRecord): Promise<void> {
  await db.query(
    `update webhook_deliveries set attempts = attempts + 1, status = $2, last_status_code = $3, last_error = $4,
            last_attempt_at = now(), next_attempt_at = $5, delivered_at = case when $2 = 'delivered' then now() else delivered_at end
      where id = $1`,
    [deliveryId, a.status, a.statusCode, a.error, a.nextAttemptAt],
  );
}

export async function setDeliveryStatus(db: Queryable, deliveryId: string, status: DeliveryStatus): Promise<void> {
  await db.query(`update webhook_deliveries set status = $2, next_attempt_at = null where id = $1`, [deliveryId, status]);
}

/** A redeliver: the delivery goes back to pending under a new run number (its workflow id). */
export async function reopenDelivery(db: Queryable, deliveryId: string): Promise<WebhookDelivery | null> {
  const { rows } = await db.query(
    `update webhook_deliveries set status = 'pending', runs = runs + 1, next_attempt_at = now() where id = $1 returning id`,
    [deliveryId],
  );
  return rows.length ? findDelivery(db, deliveryId) : null;
}

/**
 * Deliveries not yet settled (pending or retrying) per subscription, the `limit` busiest ones by name and the rest
 * summed as "other": the backlog gauge's label set stays bounded however many subscriptions there are.
 */
export async function deliveryBacklog(db: Queryable, limit: number): Promise<Array<{ subscription: string; backlog: number }>> {
  const { rows } = await db.query(
    `with b as (select subscription_id::text as id, count(*)::int as n from webhook_deliveries
                 where status in ('pending', 'retrying') group by subscription_id),
          r as (select id, n, row_number() over (order by n desc, id) as rank from b)
     select case when rank <= $1 then id else 'other' end as subscription, sum(n)::int as backlog from r group by 1`,
    [limit],
  );
  return rows as Array<{ subscription: string; backlog: number }>;
}
