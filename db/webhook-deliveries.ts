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

const COLUMNS = `d.id, d.message_id as "messageId", d.subscription_id as "subscriptionId", o.type, d.status, d.attempts,
  d.last_status_code as "lastStatusCode", d.last_error as "lastError", d.last_attempt_at as "lastAttemptAt",
  d.next_attempt_at as "nextAttemptAt", d.delivered_at as "deliveredAt", d.runs, d.created_at as "createdAt"`;

/**
 * Creates one delivery per (message, active subscription wanting its type) for the given messages, due at once;
 * returns the subscriptions that have deliveries of these messages (new or from an earlier, interrupted pass).
 */
export async function fanOutDeliveries(db: Queryable, messageIds: string[]): Promise<string[]> {
  await db.query(
    `insert into webhook_deliveries (id, message_id, subscription_id, next_attempt_at)
     select gen_random_uuid(), o.id, s.id, now() from outbox o
       join webhook_subscriptions s on s.status = 'active' and o.type = any(s.events)
      where o.id = any($1::uuid[])
     on conflict (message_id, subscription_id) do nothing`,
    [messageIds],
  );
  const { rows } = await db.query(`select distinct subscription_id as id from webhook_deliveries where message_id = any($1::uuid[])`, [
    messageIds,
  ]);
  return rows.map((r: { id: string }) => r.id);
}

/** Which subscriptions each message's deliveries go to (tracing: the relay's span of a message covers its wake-ups). */
export async function deliveryTargets(db: Queryable, messageIds: string[]): Promise<Array<{ messageId: string; subscriptionId: string }>> {
  const { rows } = await db.query(
    `select message_id as "messageId", subscription_id as "subscriptionId" from webhook_deliveries where message_id = any($1::uuid[])`,
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

/**
 * A redeliver: the delivery is due again at once, in a new retry window (its backoff starts over). A finished one
 * also counts a new run; one still waiting to retry is just brought forward.
 */
export async function reopenDelivery(db: Queryable, deliveryId: string): Promise<WebhookDelivery | null> {
  const { rows } = await db.query(
    `update webhook_deliveries set runs = runs + case when status in ('pending', 'retrying') then 0 else 1 end,
            status = case when status = 'retrying' then 'retrying' else 'pending' end,
            next_attempt_at = now(), retry_from = null, run_attempts = 0
      where id = $1 returning id`,
    [deliveryId],
  );
  return rows.length ? findDelivery(db, deliveryId) : null;
}

/** A paused subscription's waiting deliveries are cancelled (in the pause's transaction): nothing more is sent. Returns how many. */
export async function cancelWaitingDeliveries(db: Queryable, subscriptionId: string): Promise<number> {
  const { rowCount } = await db.query(
    `update webhook_deliveries set status = 'cancelled', next_attempt_at = null where subscription_id = $1 and status in ('pending', 'retrying')`,
    [subscriptionId],
  );
  return rowCount ?? 0;
}

/** One due delivery, leased to a batch: what its attempt sends, and where its retry window stands. */
export interface DueDelivery {
  id: string;
  messageId: string;
  type: string;
  payload: Record<string, unknown>;
  messageCreatedAt: Date;
  retryFrom: Date;
  runAttempts: number;
  /** The W3C traceparent stored with the message (null unless tracing was on when it was written). */
  traceContext?: string | null;
}

/**
 * Leases up to `limit` of a subscription's due deliveries, oldest due first: their next_attempt_at moves `leaseMs`
 * ahead, so no other batch takes them meanwhile and a batch that dies leaves them due again when the lease ends.
 * SKIP LOCKED: a concurrent lease (an activity retried while the first is still running) takes other rows.
 */
export async function leaseDueDeliveries(db: Queryable, subscriptionId: string, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const { rows } = await db.query(
    `with due as (
       select id from webhook_deliveries
        where subscription_id = $1 and status in ('pending', 'retrying') and next_attempt_at <= now()
        order by next_attempt_at limit $2 for update skip locked)
     update webhook_deliveries d set next_attempt_at = now() + $3 * interval '1 millisecond', retry_from = coalesce(d.retry_from, now())
       from due, outbox o
      where d.id = due.id and o.id = d.message_id
     returning d.id, o.id as "messageId", o.type, o.payload, o.created_at as "messageCreatedAt", d.retry_from as "retryFrom",
               d.run_attempts as "runAttempts", o.trace_context as "traceContext"`,
    [subscriptionId, limit, leaseMs],
  );
  return rows as DueDelivery[];
}

export interface AttemptResult {
  id: string;
  status: DeliveryStatus;
  statusCode: number | null;
  error: string | null;
  /** The next attempt (retrying), else null. */
  nextAttemptAt: Date | null;
}

/** Records a whole batch's attempts in one statement. */
export async function recordAttempts(db: Queryable, results: AttemptResult[]): Promise<void> {
  if (results.length === 0) return;
  await db.query(
    `update webhook_deliveries d
        set attempts = d.attempts + 1, run_attempts = d.run_attempts + 1, status = r.status, last_status_code = r."statusCode",
            last_error = r.error, last_attempt_at = now(), next_attempt_at = r."nextAttemptAt",
            delivered_at = case when r.status = 'delivered' then now() else d.delivered_at end
       from jsonb_to_recordset($1::jsonb) as r(id uuid, status text, "statusCode" int, error text, "nextAttemptAt" timestamptz)
      where d.id = r.id`,
    [JSON.stringify(results)],
  );
}

/** A subscription's backlog: deliveries still to send (due or waiting to retry), and when the next is due. */
export async function deliveryBacklog(db: Queryable, subscriptionId: string): Promise<{ waiting: number; nextDueAt: Date | null }> {
  const { rows } = await db.query(
    `select count(*)::int as waiting, min(next_attempt_at) as "nextDueAt" from webhook_deliveries
      where subscription_id = $1 and status in ('pending', 'retrying')`,
    [subscriptionId],
  );
  return rows[0] as { waiting: number; nextDueAt: Date | null };
}

/** Subscriptions with deliveries overdue by more than `graceMs` (their workflow missed a wake-up, or is gone). */
export async function subscriptionsWithOverdueDeliveries(db: Queryable, graceMs: number): Promise<string[]> {
  const { rows } = await db.query(
    `select distinct d.subscription_id as id from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
      where s.status = 'active' and d.status in ('pending', 'retrying') and d.next_attempt_at < now() - $1 * interval '1 millisecond'`,
    [graceMs],
  );
  return rows.map((r: { id: string }) => r.id);
}

/** Retention: deletes up to `limit` finished deliveries (delivered, failed, cancelled) created more than `hours` ago. */
export async function deleteFinishedDeliveries(db: Queryable, hours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from webhook_deliveries where id in (
       select id from webhook_deliveries
        where status in ('delivered', 'failed', 'cancelled') and created_at < now() - $1 * interval '1 hour'
        limit $2 for update skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}

/**
 * Deliveries not yet settled (pending or retrying) per subscription, the `limit` busiest ones by name and the rest
 * summed as "other": the backlog gauge's label set stays bounded however many subscriptions there are.
 */
export async function deliveryBacklogBySubscription(
  db: Queryable,
  limit: number,
): Promise<Array<{ subscription: string; backlog: number }>> {
  const { rows } = await db.query(
    `with b as (select subscription_id::text as id, count(*)::int as n from webhook_deliveries
                 where status in ('pending', 'retrying') group by subscription_id),
          r as (select id, n, row_number() over (order by n desc, id) as rank from b)
     select case when rank <= $1 then id else 'other' end as subscription, sum(n)::int as backlog from r group by 1`,
    [limit],
  );
  return rows as Array<{ subscription: string; backlog: number }>;
}
