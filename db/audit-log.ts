import type { Queryable } from './database';
import type { AuditAction, AuditEntity, AuditEntry } from '../model/audit';
import { jsonDiff, toJson, type JsonChange } from '../domain/json-diff';

export interface AuditRecord {
  actor: string;
  entityType: AuditEntity;
  entityId: string;
  action: AuditAction;
  diff: JsonChange[];
  detail?: Record<string, unknown> | null;
}

/** Appends one history row in the caller's transaction: it commits, or is rolled back, with the change it records. */
async function insertAuditEntry(db: Queryable, r: AuditRecord): Promise<void> {
  await db.query(`insert into audit_log (actor, entity_type, entity_id, action, diff, detail) values ($1, $2, $3, $4, $5, $6)`, [
    r.actor,
    r.entityType,
    r.entityId,
    r.action,
    JSON.stringify(r.diff),
    r.detail ? JSON.stringify(r.detail) : null,
  ]);
}

export interface Change {
  /** The API key's principal (`role:<12 hex>`), or `system:<what>` for a change the system makes by itself. */
  actor: string;
  entityType: AuditEntity;
  entityId: string;
  action: AuditAction;
  /** The record as it was (undefined: it did not exist) and as it is (undefined: it no longer exists). */
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown> | null;
}

/**
 * Writes a change to the history (README "History") with its diff, in the caller's transaction, so the history
 * holds a change exactly when the change committed. Every mutating route calls it once (history.test.ts walks them).
 */
export async function recordChange(db: Queryable, c: Change): Promise<void> {
  await insertAuditEntry(db, {
    actor: c.actor,
    entityType: c.entityType,
    entityId: c.entityId,
    action: c.action,
    diff: jsonDiff(toJson(c.before), toJson(c.after)),
    detail: c.detail ?? null,
  });
}

export interface AuditFilter {
  entityType?: AuditEntity;
  entityId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this id (the cursor): newest first. */
  beforeId?: number;
}

/** History rows matching every filter given, newest first; `limit` at most. */
export async function listAuditEntries(db: Queryable, f: AuditFilter, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query(
    `select id::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, entity_type as "entityType",
            entity_id as "entityId", action, diff, detail
       from audit_log
      where ($1::text is null or entity_type = $1) and ($2::text is null or entity_id = $2) and ($3::text is null or actor = $3)
        and ($4::timestamptz is null or at >= $4) and ($5::timestamptz is null or at < $5) and ($6::bigint is null or id < $6)
      order by audit_log.id desc limit $7`,
    [f.entityType ?? null, f.entityId ?? null, f.actor ?? null, f.from ?? null, f.to ?? null, f.beforeId ?? null, limit],
  );
  return rows as AuditEntry[];
}

/**
 * Retention of the history: deletes up to `limit` rows older than `hours` (0: keep forever, the default). The
 * only delete the append-only trigger lets through, by the setting this statement's transaction alone carries.
 */
export async function deleteOldAuditEntries(db: Queryable, hours: number, limit: number): Promise<number> {
  if (hours <= 0) return 0;
  const { rowCount } = await db.query(
    `with allowed as materialized (select set_config('loyalty.audit_retention', 'on', true))
     delete from audit_log where id in (
       select id from audit_log, allowed where at < now() - $1 * interval '1 hour' order by id limit $2 for update of audit_log skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}
