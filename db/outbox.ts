import { randomUUID } from 'node:crypto';
import type { Queryable } from './database';
import type { NotificationType } from '../model/notification-types';
import type { OutboxCommandType } from '../model/outbox-commands';

/** One message waiting in the outbox (see the migration for why it exists). */
export interface OutboxMessage {
  id: string;
  /** A notification type (webhooks), a command (model/outbox-commands.ts), or another type a dispatcher handles. */
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  /** The W3C traceparent of the request that wrote it (null unless tracing was on then): the relay continues it. */
  traceContext?: string | null;
}

/**
 * Writes a notification in the caller's transaction: it is sent if and only if that transaction commits.
 * Returns the message id (stable across every delivery attempt).
 */
export async function enqueueOutbox(
  db: Queryable,
  type: NotificationType | OutboxCommandType,
  payload: Record<string, unknown>,
  id: string = randomUUID(),
): Promise<string> {
  await db.query(`insert into outbox (id, type, payload) values ($1, $2, $3) on conflict (id) do nothing`, [id, type, payload]);
  return id;
}

/** Marks messages as handed over (in the claim's transaction, so no other relay can take them again). */
export async function markOutboxDispatched(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length) await db.query(`update outbox set dispatched_at = now() where id = any($1::uuid[]) and dispatched_at is null`, [ids]);
}

/**
 * The oldest pending messages, locked for the caller's transaction; rows another relay holds are skipped, so
 * several workers' relays share the work. The lock lasts until the caller commits the hand-over and the mark.
 */
export async function claimPendingOutbox(db: Queryable, limit: number): Promise<OutboxMessage[]> {
  const { rows } = await db.query(
    `select id, type, payload, created_at as "createdAt", trace_context as "traceContext" from outbox
      where dispatched_at is null order by created_at limit $1 for update skip locked`,
    [limit],
  );
  return rows as OutboxMessage[];
}

/**
 * Retention: deletes up to `limit` messages dispatched more than `hours` ago that no delivery refers to any more
 * (deliveries go first, by their own retention). Returns how many went.
 */
export async function deleteDispatchedOutbox(db: Queryable, hours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from outbox where id in (
       select o.id from outbox o
        where o.dispatched_at < now() - $1 * interval '1 hour'
          and not exists (select 1 from webhook_deliveries d where d.message_id = o.id)
        limit $2 for update skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}

/** How many messages wait for the relay, and the age of the oldest in seconds (0 when none): the metrics gauges. */
export async function outboxBacklog(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await db.query(
    `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as "oldestAgeSeconds"
       from outbox where dispatched_at is null`,
  );
  return rows[0] as { pending: number; oldestAgeSeconds: number };
}
