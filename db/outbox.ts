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

/** The commands (model/outbox-commands.ts) among claimed rows, oldest first, with their payloads. */
export async function readOutboxCommands(db: Queryable, ids: string[], types: readonly string[]): Promise<OutboxMessage[]> {
  const { rows } = await db.query(
    `select id, type, payload, created_at as "createdAt" from outbox where id = any($1::uuid[]) and type = any($2::text[]) order by created_at`,
    [ids, types],
  );
  return rows as OutboxMessage[];
}
