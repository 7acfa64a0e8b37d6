import type { PoolClient } from 'pg';
import type { Queryable } from './database';
import { copyRows } from './copy';
import { jobRows } from './job-rows';
import type { DistributionAudience, DistributionStatus, MemberFilter } from '../model/distribution';

/** One distribution (migration distributions): its job state and what it has assigned so far. */
export interface Distribution {
  id: string;
  poolId: string;
  poolKind: string;
  poolOwnerId: string | null;
  audience: DistributionAudience;
  members: number;
  skipped: number;
  /** Derived from committed chunks, so a retried chunk can never count twice. */
  assigned: number;
  expiresAt: Date | null;
  topUpBatchId: string | null;
  status: DistributionStatus;
  workflowId: string;
  createdBy: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
  /** Codes a cancel gave back to the pool; null until cancelled. */
  returned: number | null;
}

export interface NewDistribution {
  id: string;
  poolId: string;
  audience: DistributionAudience;
  expiresAt: string | null;
  topUpBatchId: string | null;
  workflowId: string;
  createdBy: string | null;
}

export async function insertDistribution(db: Queryable, d: NewDistribution): Promise<void> {
  await db.query(
    `insert into distributions (id, pool_id, audience, members, expires_at, top_up_batch_id, workflow_id, created_by)
     values ($1, $2, $3, 0, $4, $5, $6, $7)`,
    [d.id, d.poolId, d.audience, d.expiresAt, d.topUpBatchId, d.workflowId, d.createdBy],
  );
}

export async function setTopUpBatch(db: Queryable, id: string, batchId: string): Promise<void> {
  await db.query(`update distributions set top_up_batch_id = $2 where id = $1`, [id, batchId]);
}

export async function setAudienceSize(db: Queryable, id: string, members: number, skipped: number): Promise<void> {
  await db.query(`update distributions set members = $2, skipped = $3 where id = $1`, [id, members, skipped]);
}

const COLUMNS = `d.id, d.pool_id as "poolId", p.kind as "poolKind", p.owner_id as "poolOwnerId", d.audience, d.members, d.skipped,
  coalesce((select sum(assigned) from distribution_chunks c where c.distribution_id = d.id), 0)::int as assigned,
  d.expires_at as "expiresAt", d.top_up_batch_id as "topUpBatchId", d.status, d.workflow_id as "workflowId",
  d.created_by as "createdBy", d.error, d.created_at as "createdAt", d.started_at as "startedAt", d.finished_at as "finishedAt",
  d.cancelled_at as "cancelledAt", d.returned`;

export async function findDistribution(db: Queryable, id: string): Promise<Distribution | null> {
  const { rows } = await db.query(`select ${COLUMNS} from distributions d join code_pools p on p.id = d.pool_id where d.id = $1`, [id]);
  return (rows[0] as Distribution | undefined) ?? null;
}

/**
 * Stages every registered member matching the filter, numbered in id order; returns how many. One
 * insert…select: the audience never passes through the API process.
 */
export async function stageFilteredAudience(db: Queryable, id: string, filter: MemberFilter): Promise<number> {
  const { rowCount } = await db.query(
    `insert into distribution_members (distribution_id, row_number, member_id)
     select $1, (row_number() over (order by m.id)) - 1, m.id from members m
      where ($2::text is null or m.tier = $2) and m.segments @> $3::text[] and m.tags @> $4::text[]`,
    [id, filter.tier ?? null, filter.segments, filter.tags],
  );
  return rowCount ?? 0;
}

/**
 * Stages an uploaded member list: COPY into a temporary table, then keeps each registered member once, in the
 * order of its first line. Returns the audience size and how many lines were left out (unknown or repeated).
 */
export async function stageListedAudience(
  client: PoolClient,
  id: string,
  /** memberId null: a cell no member id could be (left out, counted as skipped). */
  batches: AsyncIterable<Array<{ line: number; memberId: string | null }>>,
): Promise<{ members: number; skipped: number }> {
  await client.query(`create temporary table listed_members (line integer, member_id text) on commit drop`);
  let lines = 0;
  async function* values() {
    for await (const batch of batches) {
      lines += batch.length;
      yield batch.flatMap((row) => (row.memberId === null ? [] : [[row.line, row.memberId]]));
    }
  }
  await copyRows(client, 'listed_members', ['line', 'member_id'], values());
  const { rowCount } = await client.query(
    `insert into distribution_members (distribution_id, row_number, member_id)
     select $1, (row_number() over (order by first_line)) - 1, l.member_id
       from (select member_id, min(line) as first_line from listed_members group by member_id) l
       join members m on m.id = l.member_id`,
    [id],
  );
  const members = rowCount ?? 0;
  return { members, skipped: lines - members };
}

export async function deleteStagedAudience(db: Queryable, id: string): Promise<void> {
  await db.query(`delete from distribution_members where distribution_id = $1`, [id]);
}

/**
 * Locks the row while a chunk assigns codes (shared: chunks run side by side); a cancel takes the row
 * exclusively, so it waits for chunks in flight and every later chunk sees it cancelled. Null: no such row.
 */
export async function lockDistributionForChunk(db: Queryable, id: string): Promise<Distribution | null> {
  const { rows } = await db.query(`select id from distributions where id = $1 for share`, [id]);
  return rows.length ? findDistribution(db, id) : null;
}

/** Marks a distribution cancelled (locking it against its chunks); false when it already was. */
export async function markDistributionCancelled(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update distributions set status = 'cancelled', cancelled_at = now(), finished_at = coalesce(finished_at, now())
      where id = $1 and status <> 'cancelled'`,
    [id],
  );
  return rowCount === 1;
}

export async function setReturnedCount(db: Queryable, id: string, returned: number): Promise<void> {
  await db.query(`update distributions set returned = $2 where id = $1`, [id, returned]);
}

// A cancelled distribution is neither restarted nor finished by its workflow (markFinished only moves pending/running).
const distributionRows = jobRows('distributions');
export const { markRunning: markDistributionRunning, markFinished: markDistributionFinished } = distributionRows;
export const { listRunning: listRunningDistributions, lockRunning: lockRunningDistribution } = distributionRows;
