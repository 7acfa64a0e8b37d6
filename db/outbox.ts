import { randomUUID } from 'node:crypto';
import type { Queryable } from './database';
import type { NotificationType } from '../model/notification-types';
import type { OutboxCommandType } from '../model/outbox-commands';

/** One message waiting in the outbox (see the migration for why it exists). */
export interface OutboxMessage {
  id: string;
  type: NotificationType | OutboxCommandType;
  payload: Record<string, unknown>;
  createdAt: Date;
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

/** The oldest messages no workflow owns yet. */
export async function listPendingOutbox(db: Queryable, limit: number): Promise<OutboxMessage[]> {
  const { rows } = await db.query(
    `select id, type, payload, created_at as "createdAt" from outbox where dispatched_at is null order by created_at limit $1`,
    [limit],
  );
  return rows as OutboxMessage[];
}

/** Marks messages as owned by their workflow (started with the message id, so a repeat start is harmless). */
export async function markOutboxDispatched(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length) await db.query(`update outbox set dispatched_at = now() where id = any($1::uuid[]) and dispatched_at is null`, [ids]);
}

/**
 * Like listPendingOutbox, but locks the rows for the caller's transaction and skips rows another relay holds,
 * so several workers' relays share the work instead of all starting the same workflows.
 */
export async function claimPendingOutbox(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query(`select id from outbox where dispatched_at is null order by created_at limit $1 for update skip locked`, [
    limit,
  ]);
  return rows.map((r: { id: string }) => r.id);
}

/** How many messages wait for the relay, and the age of the oldest in seconds (0 when none): the metrics gauges. */
export async function outboxBacklog(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await db.query(
    `select count(*)::int as pending, coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as "oldestAgeSeconds"
       from outbox where dispatched_at is null`,
  );
  return rows[0] as { pending: number; oldestAgeSeconds: number };
}

/** The stored trace context (W3C traceparent) of each message that has one (tracing on when it was written). */
export async function outboxTraceContexts(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query(`select id, trace_context from outbox where id = any($1::uuid[]) and trace_context is not null`, [ids]);
  return new Map(rows.map((r: { id: string; trace_context: string }) => [r.id, r.trace_context]));
}

/** The commands (model/outbox-commands.ts) among claimed rows, oldest first, with their payloads. */
export async function readOutboxCommands(db: Queryable, ids: string[], types: readonly string[]): Promise<OutboxMessage[]> {
  const { rows } = await db.query(
    `select id, type, payload, created_at as "createdAt" from outbox where id = any($1::uuid[]) and type = any($2::text[]) order by created_at`,
    [ids, types],
  );
  return rows as OutboxMessage[];
}
