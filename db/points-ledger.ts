import type { Queryable } from './database';

export interface PointTransaction {
  id: number;
  memberId: string;
  kind: 'credit' | 'debit';
  points: number;
  source: string;
  reference: string;
  attributes: Record<string, unknown>;
  createdAt: Date;
}

export interface LedgerEntry {
  memberId: string;
  kind: 'credit' | 'debit';
  points: number;
  source: string;
  reference: string;
  attributes?: Record<string, unknown>;
}

/**
 * Books one ledger entry and moves the balance with it, in the caller's transaction. Idempotent by reference:
 * an entry already booked under the reference is not booked again (returns false). A debit that would take the
 * balance below zero fails on the balance check, rolling the whole transaction back.
 */
export async function bookPoints(db: Queryable, entry: LedgerEntry): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into point_transactions (member_id, kind, points, source, reference, attributes)
     values ($1, $2, $3, $4, $5, $6) on conflict (reference) do nothing`,
    [entry.memberId, entry.kind, entry.points, entry.source, entry.reference, entry.attributes ?? {}],
  );
  if (rowCount === 0) return false;
  await db.query(`update members set balance = balance + $2, updated_at = now() where id = $1`, [
    entry.memberId,
    entry.kind === 'credit' ? entry.points : -entry.points,
  ]);
  return true;
}

/** One page of a member's ledger, newest first, before the entry id `before`. */
export async function listPointTransactions(
  db: Queryable,
  memberId: string,
  before: number | undefined,
  limit: number,
): Promise<PointTransaction[]> {
  const { rows } = await db.query(
    `select id::float8 as id, member_id as "memberId", kind, points::float8 as points, source, reference, attributes, created_at as "createdAt"
       from point_transactions where member_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3`,
    [memberId, before ?? null, limit],
  );
  return rows as PointTransaction[];
}
