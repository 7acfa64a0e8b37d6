import type { Queryable } from '../../db/database';
import { resolvePool } from '../../db/code-pools';
import { bookPoints } from '../../db/points-ledger';
import type { CodeStatus } from '../../model/code-status';
import type { PoolTarget } from '../../model/pool';

/**
 * The data most suites start from, written straight to the database through the same modules the system uses
 * (code generation, imports and the HTTP routes are tested on their own). Each takes a Queryable: a test
 * system's `db`, or a client inside a transaction.
 */

/** Puts codes into a pool: the unassociated bank, or a campaign's or reward's pool (created on first use). */
export async function addCodes(db: Queryable, pool: 'bank' | PoolTarget, codes: string[]): Promise<void> {
  const { id } = await resolvePool(db, pool === 'bank' ? undefined : pool);
  await db.query(`insert into codes (code, pool_id) select unnest($1::text[]), $2`, [codes, id]);
}

export interface MemberProfile {
  tier?: string;
  segments?: string[];
  tags?: string[];
  enrolledAt?: string;
}

export async function addMembers(db: Queryable, ids: string[], profile: MemberProfile = {}): Promise<void> {
  await db.query(`insert into members (id, tier, segments, tags, enrolled_at) select unnest($1::text[]), $2, $3, $4, $5`, [
    ids,
    profile.tier ?? null,
    profile.segments ?? [],
    profile.tags ?? [],
    profile.enrolledAt ?? null,
  ]);
}

/** Credits points through the ledger module (an entry and the balance move together), once per reference. */
export async function creditPoints(db: Queryable, memberId: string, points: number, reference = `seed:${memberId}`): Promise<void> {
  await bookPoints(db, { memberId, kind: 'credit', points, source: 'test', reference });
}

/** Members with a starting balance, each booked as a real ledger credit. */
export async function addMembersWithPoints(db: Queryable, ids: string[], points: number, profile: MemberProfile = {}): Promise<void> {
  await addMembers(db, ids, profile);
  for (const id of ids) await creditPoints(db, id, points);
}

export async function balanceOf(db: Queryable, memberId: string): Promise<number> {
  const { rows } = await db.query(`select balance from members where id = $1`, [memberId]);
  if (!rows[0]) throw new Error(`no member "${memberId}"`);
  return Number(rows[0].balance);
}

/** A code's status; undefined when there is no such code. */
export async function codeStatus(db: Queryable, code: string): Promise<CodeStatus | undefined> {
  const { rows } = await db.query(`select status from codes where code = $1`, [code]);
  return rows[0]?.status as CodeStatus | undefined;
}
