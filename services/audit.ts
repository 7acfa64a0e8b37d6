import type { Queryable } from '../db/database';
import { insertAuditEntry } from '../db/audit-log';
import { jsonDiff, toJson } from '../domain/json-diff';
import type { AuditAction, AuditEntity } from '../model/audit';

export interface Change {
  /** The API key's principal (`role:<12 hex>`). */
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
 * Writes a change to the history (README "History"), in the caller's transaction, so the history holds a change
 * exactly when the change committed. Every mutating route calls it once (history.test.ts walks them).
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
