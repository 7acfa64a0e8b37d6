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

// A code's redemption attempts are its rows in the event log (since 1764300000000 apply_redemption writes no
// code_history row for them): the same fields, the producer as actor, the event's time.
const ATTEMPT_COLUMNS = `'redemption_attempt' as kind, null as "fromStatus", null as "toStatus", event_id as "eventId",
  member_id as "memberId", outcome, reason, api_key as actor, created_at as at`;

/** The newest `limit` entries of a code's history (status changes and redemption attempts), oldest first. */
export async function listCodeHistory(db: Queryable, code: string, limit = 200): Promise<CodeHistoryEntry[]> {
  const { rows } = await db.query(
    `select * from (
       (select kind, from_status as "fromStatus", to_status as "toStatus", event_id as "eventId", member_id as "memberId",
               outcome, reason, actor, at, id as seq
          from code_history where code = $1 and kind <> 'redemption_attempt' order by id desc limit $2)
       union all
       (select ${ATTEMPT_COLUMNS}, null from redemption_events where code = $1 order by created_at desc limit $2)
       order by at desc, seq desc nulls last limit $2) h
     order by at, seq nulls first`,
    [code, limit],
  );
  return rows.map(({ seq: _seq, ...entry }) => entry) as CodeHistoryEntry[];
}

/** The code-history entries one producer's event left: its redemption attempt, from the event log. */
export async function listEventHistory(
  db: Queryable,
  code: string,
  eventId: string,
  producer: string,
): Promise<Array<CodeHistoryEntry & { code: string }>> {
  const { rows } = await db.query(
    `select code, ${ATTEMPT_COLUMNS} from redemption_events where code = $1 and event_id = $2 and api_key = $3`,
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
