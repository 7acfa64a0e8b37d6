import type { Queryable } from './database';
import type { CodeStatus } from '../model/code-status';

/** How many codes a pool holds in each status (statuses with none are absent). */
export type PoolStatusCounts = Partial<Record<CodeStatus, number>>;

/** The pool of a campaign or reward, for the queries below. */
const OWNED_POOL = `(select id from code_pools where kind = $1 and owner_id = $2)`;

/**
 * A pool's counts by status, from the deltas the triggers on `codes` append (migration code-pool-counts): a sum
 * over a few rows per status instead of a count over the pool's codes. Exact: one statement sees whole
 * transactions only.
 */
export async function ownedPoolStatusCounts(db: Queryable, kind: 'campaign' | 'reward', ownerId: string): Promise<PoolStatusCounts> {
  const { rows } = await db.query(
    `select status, sum(n)::float8 as n from code_pool_count_deltas where pool_id = ${OWNED_POOL} group by status having sum(n) <> 0`,
    [kind, ownerId],
  );
  return Object.fromEntries(rows.map((r: { status: CodeStatus; n: number }) => [r.status, r.n]));
}

/** The sum of the given statuses' counts. */
export function countOf(counts: PoolStatusCounts, ...statuses: CodeStatus[]): number {
  return statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

/** The sum over all statuses. */
export function totalOf(counts: PoolStatusCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

/**
 * Folds the deltas of every pool with more than one row for a status into one row per status, in one statement
 * so readers never see a partial fold. Rows appended while it runs are not in its snapshot and stay as they are; two folds at once are safe (the
 * second skips the rows the first deleted). Returns how many rows it folded.
 */
export async function compactPoolCounts(db: Queryable): Promise<number> {
  const { rows } = await db.query(
    `with folded as (
       delete from code_pool_count_deltas
        where pool_id in (select pool_id from code_pool_count_deltas group by pool_id, status having count(*) > 1)
       returning pool_id, status, n),
          kept as (insert into code_pool_count_deltas (pool_id, status, n)
                   select pool_id, status, sum(n) from folded group by pool_id, status having sum(n) <> 0)
     select count(*)::int as n from folded`,
  );
  return (rows[0] as { n: number }).n;
}
