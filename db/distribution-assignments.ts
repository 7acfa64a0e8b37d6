import type { Queryable } from './database';
import { CODE_COLUMNS, type CodeRecord } from './codes';
import { escapeLiteral } from 'pg';

/**
 * Claims a distribution chunk inside the caller's transaction (see claimChunk in code-batch-chunks.ts: a second
 * attempt waits for the first, then finds the chunk done or takes it over).
 */
export async function claimDistributionChunk(
  db: Queryable,
  distributionId: string,
  chunkIndex: number,
): Promise<{ claimed: true } | { claimed: false; inserted: number }> {
  const { rowCount } = await db.query(
    `insert into distribution_chunks (distribution_id, chunk_index) values ($1, $2) on conflict do nothing`,
    [distributionId, chunkIndex],
  );
  if (rowCount === 1) return { claimed: true };
  const { rows } = await db.query(`select assigned from distribution_chunks where distribution_id = $1 and chunk_index = $2`, [
    distributionId,
    chunkIndex,
  ]);
  return { claimed: false, inserted: (rows[0] as { assigned: number }).assigned };
}

export async function recordDistributionChunk(db: Queryable, distributionId: string, chunkIndex: number, assigned: number): Promise<void> {
  await db.query(`update distribution_chunks set assigned = $3, committed_at = now() where distribution_id = $1 and chunk_index = $2`, [
    distributionId,
    chunkIndex,
    assigned,
  ]);
}

export interface AssignRange {
  distributionId: string;
  poolId: string;
  fromRow: number;
  toRow: number;
  expiresAt: Date | null;
  /** Take only codes after this one (null: from the pool's first code). */
  after: string | null;
}

/**
 * The highest code the distribution has assigned: where its next chunk starts looking, so chunks don't each
 * walk past every code the earlier ones took (the walk would grow with the audience). Codes below it that are
 * still unused (an aborted chunk's) are found by a second pass from the start (see the activity).
 */
export async function lastAssignedCode(db: Queryable, distributionId: string): Promise<string | null> {
  const { rows } = await db.query(`select max(code) as code from distribution_assignments where distribution_id = $1`, [distributionId]);
  return (rows[0] as { code: string | null }).code;
}

/**
 * Gives each staged member of rows [fromRow, toRow) that has none yet one unused, unexpired code of the pool
 * (after `after`), in one statement:
 * codes are taken in key order with SKIP LOCKED (parallel chunks pass each other), paired with members by
 * position, marked `assigned` and recorded. The keys of distribution_assignments refuse a second code for a
 * member or a code twice. Returns how many were assigned (fewer than the members: the pool ran short).
 * The planner is told what keeps the statement's cost per slice, not per pool: a constant limit (the slice's size;
 * a code picked beyond its members is only locked until commit) and the pool id as a sub-select, so it walks
 * codes_unused_by_pool in code order from `after` instead of sorting the pool's unused codes for every slice.
 */
export async function assignCodes(db: Queryable, r: AssignRange): Promise<number> {
  const { rowCount } = await db.query(
    `with audience as (
       select member_id, row_number() over (order by row_number) as k
         from distribution_members m where distribution_id = $1 and row_number >= $2 and row_number < $3
          and not exists (select 1 from distribution_assignments a where a.distribution_id = $1 and a.member_id = m.member_id)),
     picked as (
       select code, expires_at, row_number() over (order by code) as k from (
         select code, expires_at from codes
          where pool_id = (select $4::uuid) and status = 'unused' and (expires_at is null or expires_at > now()) and code > coalesce($6, '')
          order by code limit $7 for update skip locked) free),
     pairs as (select a.member_id, p.code, p.expires_at from audience a join picked p using (k)),
     assigned as (
       update codes c set status = 'assigned', member_id = pairs.member_id, expires_at = coalesce($5::timestamptz, c.expires_at),
              status_changed_at = now()
         from pairs where c.code = pairs.code
       returning c.code, c.member_id, pairs.expires_at as previous)
     insert into distribution_assignments (distribution_id, member_id, code, code_expires_at)
     select $1, member_id, code, previous from assigned`,
    [r.distributionId, r.fromRow, r.toRow, r.poolId, r.expiresAt, r.after, r.toRow - r.fromRow],
  );
  return rowCount ?? 0;
}

/**
 * Returns a distribution's codes that are still assigned (not redeemed) to the pool: unused again, no member,
 * their own expiry back. Returns how many.
 */
export async function returnAssignedCodes(db: Queryable, distributionId: string): Promise<number> {
  const { rowCount } = await db.query(
    `update codes c set status = 'unused', member_id = null, expires_at = a.code_expires_at, status_changed_at = now()
       from distribution_assignments a
      where a.distribution_id = $1 and c.code = a.code and c.status = 'assigned' and c.member_id = a.member_id`,
    [distributionId],
  );
  return rowCount ?? 0;
}

/** A member's codes that are assigned to them and not yet redeemed, in code order after `afterCode`. */
export async function listMemberAssignedCodes(db: Queryable, memberId: string, afterCode: string, limit: number): Promise<CodeRecord[]> {
  const { rows } = await db.query(
    `select ${CODE_COLUMNS} from codes c join code_pools p on p.id = c.pool_id
      where c.member_id = $1 and c.status = 'assigned' and c.code > $2 order by c.code limit $3`,
    [memberId, afterCode, limit],
  );
  return rows as CodeRecord[];
}

/**
 * COPY … TO STDOUT of `member_id,code` for every code the distribution assigned, by member id (the key's order:
 * an index walk, no sort). Member ids go through csv_safe (they are the outside world's text).
 */
export function exportAssignmentsSql(distributionId: string): string {
  return `copy (select csv_safe(member_id) as member_id, code from distribution_assignments
                 where distribution_id = ${escapeLiteral(distributionId)} order by member_id)
          to stdout with (format csv, header)`;
}
