import type { PoolClient } from 'pg';
import { copyRows } from './copy';
import type { CodeStatus } from '../model/code-status';

/** A row of a status import whose code and status are well-formed: what only the codes' current statuses decide. */
export interface StagedStatusRow {
  line: number;
  /** The cell as written, for the report. */
  raw: string;
  code: string;
  status: CodeStatus;
  reason: string | null;
}

export interface AppliedStatusImport {
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first `limit` refused rows, in line order. */
  rejections: Array<{ line: number; code: string; reason: string }>;
}

/**
 * Streams the rows into a temporary table of the caller's transaction (COPY): no code is locked while the file
 * arrives. The reason travels as bytes and becomes text only on the rows that change a code, as the history insert
 * always took it (a reason PostgreSQL can't hold as text refuses the file only when it would be stored).
 */
export async function stageStatusRows(client: PoolClient, batches: AsyncIterable<StagedStatusRow[]>): Promise<void> {
  await client.query(
    `create temporary table status_import_rows (line bigint, raw text, code text, status code_status, reason bytea) on commit drop`,
  );
  async function* values() {
    for await (const batch of batches) {
      yield batch.map((r) => [r.line, r.raw, r.code, r.status, r.reason === null ? null : `\\x${Buffer.from(r.reason).toString('hex')}`]);
    }
  }
  await copyRows(client, 'status_import_rows', ['line', 'raw', 'code', 'status', 'reason'], values());
}

/**
 * Applies the staged rows in one statement, as if row after row in line order: the codes are locked (in code order)
 * only now, for this statement and the commit. A row asking for the status its code has (after the rows before it)
 * is unchanged; the first row per code whose transition is allowed changes it; every other row is refused. One
 * change per code at most is exact because an import's targets are never the source of another import transition
 * (a unit test holds IMPORTABLE_TRANSITIONS to that).
 */
export async function applyStagedStatusRows(
  client: PoolClient,
  transitions: Array<{ from: CodeStatus; to: CodeStatus }>,
  actor: string,
  limit: number,
): Promise<AppliedStatusImport> {
  const { rows } = await client.query(
    `with locked as (
       select code, status from codes where code in (select code from status_import_rows) order by code for update),
     allowed as (select * from unnest($1::code_status[], $2::code_status[]) as t(from_status, to_status)),
     change as (
       select distinct on (s.code) s.code, s.line, l.status as from_status, s.status as to_status, s.reason
         from status_import_rows s join locked l on l.code = s.code
        where s.status <> l.status and (l.status, s.status) in (select from_status, to_status from allowed)
        order by s.code, s.line),
     judged as (
       select s.line, s.raw, s.status, l.code is not null as known, ch.line as change_line,
              case when ch.line < s.line then ch.to_status else l.status end as current_status
         from status_import_rows s left join locked l on l.code = s.code left join change ch on ch.code = s.code),
     outcomes as (
       select line, raw,
              case when not known then 'unknown_code'
                   when current_status = status then 'unchanged'
                   when change_line = line then 'updated'
                   else 'transition_not_allowed: ' || current_status || ' -> ' || status end as outcome
         from judged),
     updated as (
       update codes c set status = ch.to_status, status_changed_at = now() from change ch where c.code = ch.code returning c.code),
     history as (
       insert into code_history (code, kind, from_status, to_status, actor, reason)
       select code, 'status_change', from_status, to_status, $3, convert_from(reason, 'UTF8') from change order by line)
     select (select count(*) from updated)::int as updated,
            count(*) filter (where outcome = 'unchanged')::int as unchanged,
            count(*) filter (where outcome not in ('updated', 'unchanged'))::int as rejected,
            coalesce((select json_agg(json_build_object('line', line, 'code', raw, 'reason', outcome) order by line)
                        from (select * from outcomes where outcome not in ('updated', 'unchanged') order by line limit $4) r), '[]') as rejections
       from outcomes`,
    [transitions.map((t) => t.from), transitions.map((t) => t.to), actor, limit],
  );
  return rows[0] as AppliedStatusImport;
}
