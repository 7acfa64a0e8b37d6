import type { Queryable } from './database';
import type { CodeHistoryKind, CodeStatus } from '../model/code-status';

export interface CodeHistoryEntry {
  kind: CodeHistoryKind;
  fromStatus: CodeStatus | null;
  toStatus: CodeStatus | null;
  eventId: string | null;
  memberId: string | null;
  outcome: string | null;
  reason: string | null;
  actor: string | null;
  at: Date;
}

export async function recordStatusChange(
  db: Queryable,
  code: string,
  from: CodeStatus,
  to: CodeStatus,
  actor: string,
  reason: string | null,
): Promise<void> {
  await db.query(
    `insert into code_history (code, kind, from_status, to_status, actor, reason) values ($1, 'status_change', $2, $3, $4, $5)`,
    [code, from, to, actor, reason],
  );
}

/** The newest `limit` entries of a code's history, oldest first. */
export async function listCodeHistory(db: Queryable, code: string, limit = 200): Promise<CodeHistoryEntry[]> {
  const { rows } = await db.query(
    `select * from (
       select id, kind, from_status as "fromStatus", to_status as "toStatus", event_id as "eventId", member_id as "memberId",
              outcome, reason, actor, at
         from code_history where code = $1 order by id desc limit $2) h
     order by id`,
    [code, limit],
  );
  return rows.map(({ id: _id, ...entry }) => entry) as CodeHistoryEntry[];
}

export async function recordRedemptionAttempt(
  db: Queryable,
  code: string,
  eventId: string,
  memberId: string,
  outcome: string,
  reason: string | null,
  actor: string,
): Promise<void> {
  await db.query(
    `insert into code_history (code, kind, event_id, member_id, outcome, reason, actor) values ($1, 'redemption_attempt', $2, $3, $4, $5, $6)`,
    [code, eventId, memberId, outcome, reason, actor],
  );
}

/** The code-history entries one producer's event left (its redemption attempt, recorded with the producer as actor). */
export async function listEventHistory(
  db: Queryable,
  code: string,
  eventId: string,
  producer: string,
): Promise<Array<CodeHistoryEntry & { code: string }>> {
  const { rows } = await db.query(
    `select code, kind, from_status as "fromStatus", to_status as "toStatus", event_id as "eventId", member_id as "memberId", outcome, reason, actor, at
       from code_history where code = $1 and event_id = $2 and actor = $3 order by id`,
    [code, eventId, producer],
  );
  return rows as Array<CodeHistoryEntry & { code: string }>;
}

/**
 * Retention of code history: deletes up to `limit` rows older than `hours`, except a code's successful
 * redemption (its current status is on the code itself).
 */
export async function deleteOldCodeHistory(db: Queryable, hours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from code_history where id in (
       select id from code_history
        where at < now() - $1 * interval '1 hour' and not (kind = 'redemption_attempt' and outcome = 'redeemed')
        limit $2 for update skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}
