import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { Queryable } from './database';
import { copyRows } from './copy';

import type { CodeStatus } from '../model/code-status';

export interface CodeRecord {
  code: string;
  status: CodeStatus;
  poolId: string;
  poolKind: string;
  poolOwnerId: string | null;
  batchId: string | null;
  memberId: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  statusChangedAt: Date | null;
  redeemedAt: Date | null;
  attributes: Record<string, string> | null;
}

/** The columns of a CodeRecord, for queries over `codes c join code_pools p`. */
export const CODE_COLUMNS = `c.code, c.status, c.pool_id as "poolId", p.kind as "poolKind", p.owner_id as "poolOwnerId",
  c.batch_id as "batchId", c.member_id as "memberId", c.expires_at as "expiresAt", c.created_at as "createdAt",
  c.status_changed_at as "statusChangedAt", c.redeemed_at as "redeemedAt", c.attributes`;

const UNIQUE_VIOLATION = '23505';
const LINES_PER_WRITE = 2000;

/** Tab-separated COPY lines for generated codes; codes are [A-Z0-9] only, so nothing needs escaping. */
function* copyLines(codes: Iterable<string>, suffix: string): Generator<string> {
  let block = '';
  let lines = 0;
  for (const code of codes) {
    block += code + suffix;
    if (++lines === LINES_PER_WRITE) {
      yield block;
      block = '';
      lines = 0;
    }
  }
  if (block) yield block;
}

/**
 * Codes go in sorted: two transactions inserting overlapping codes then take the index's row locks in the
 * same order, so one waits for the other instead of deadlocking (and the B-tree is filled left to right).
 */
async function copyInto(client: PoolClient, sql: string, codes: Iterable<string>, suffix: string): Promise<void> {
  const sorted = [...codes].sort();
  await pipeline(Readable.from(copyLines(sorted, suffix)), client.query(copyFrom(sql)));
}

/**
 * Runs a bulk insert under a savepoint. When any row already exists the insert fails as a whole; the savepoint
 * undoes just that attempt and the caller takes its slow path. Returns whether it worked.
 */
async function unlessSomeExist(client: PoolClient, insert: () => Promise<void>): Promise<boolean> {
  await client.query('savepoint bulk_insert');
  try {
    await insert();
    await client.query('release savepoint bulk_insert');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('rollback to savepoint bulk_insert');
    return false;
  }
}

/** Where generated codes go and when they expire (the batch's `expiresAt`; null: never). */
export interface GenerationTarget {
  poolId: string;
  batchId: string;
  expiresAt: Date | null;
}

/** Fast path of generation: COPY the drawn codes straight into `codes`; false when one already exists. */
export function copyNewCodes(client: PoolClient, target: GenerationTarget, codes: Set<string>): Promise<boolean> {
  const expires = target.expiresAt ? target.expiresAt.toISOString() : '\\N';
  return unlessSomeExist(client, () =>
    copyInto(
      client,
      'copy codes (code, pool_id, batch_id, expires_at) from stdin',
      codes,
      `\t${target.poolId}\t${target.batchId}\t${expires}\n`,
    ),
  );
}

export interface ImportedCode {
  code: string;
  expiresAt: string | null;
  attributes: Record<string, string> | null;
}

const bySortedCode = (a: ImportedCode, b: ImportedCode) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Inserts imported codes that don't exist yet (COPY when none does); returns the codes that went in. */
export async function insertImportedCodes(
  client: PoolClient,
  poolId: string,
  batchId: string,
  codes: ImportedCode[],
): Promise<Set<string>> {
  const rows = [...codes]
    .sort(bySortedCode)
    .map((c) => [c.code, poolId, batchId, c.expiresAt, c.attributes && JSON.stringify(c.attributes)]);
  const columns = ['code', 'pool_id', 'batch_id', 'expires_at', 'attributes'];
  if (await unlessSomeExist(client, () => copyRows(client, 'codes', columns, [rows]))) return new Set(codes.map((c) => c.code));
  await client.query('create temp table if not exists staged_imported_codes (like codes including defaults) on commit drop');
  await client.query('truncate staged_imported_codes');
  await copyRows(client, 'staged_imported_codes', columns, [rows]);
  const inserted = await client.query(
    `insert into codes (code, pool_id, batch_id, expires_at, attributes)
     select code, pool_id, batch_id, expires_at, attributes from staged_imported_codes on conflict (code) do nothing returning code`,
  );
  return new Set(inserted.rows.map((r: { code: string }) => r.code));
}

/** Which batch each of the given codes belongs to (to tell "duplicate in this file" from "already exists"). */
export async function batchesOfCodes(db: Queryable, codes: string[]): Promise<Map<string, string | null>> {
  const { rows } = await db.query(`select code, batch_id from codes where code = any($1::text[])`, [codes]);
  return new Map(rows.map((r: { code: string; batch_id: string | null }) => [r.code, r.batch_id]));
}

/** Slow path: stage the codes, insert those that don't exist yet, return how many went in. */
export async function insertCodesSkippingExisting(client: PoolClient, target: GenerationTarget, codes: Set<string>): Promise<number> {
  await client.query('create temp table if not exists staged_codes (code text) on commit drop');
  await client.query('truncate staged_codes');
  await copyInto(client, 'copy staged_codes (code) from stdin', codes, '\n');
  const { rowCount } = await client.query(
    `insert into codes (code, pool_id, batch_id, expires_at) select code, $1, $2, $3 from staged_codes on conflict (code) do nothing`,
    [target.poolId, target.batchId, target.expiresAt],
  );
  return rowCount ?? 0;
}

/** One code; `forUpdate` locks its row until the caller's transaction ends. */
export async function findCode(db: Queryable, code: string, forUpdate = false): Promise<CodeRecord | null> {
  const { rows } = await db.query(
    `select ${CODE_COLUMNS} from codes c join code_pools p on p.id = c.pool_id where c.code = $1 ${forUpdate ? 'for update of c' : ''}`,
    [code],
  );
  return (rows[0] as CodeRecord | undefined) ?? null;
}

/** Moves one code to a new status (the caller holds its row lock and has checked the transition). */
export async function setCodeStatus(db: Queryable, code: string, status: CodeStatus): Promise<void> {
  await db.query(`update codes set status = $2, status_changed_at = now() where code = $1`, [code, status]);
}

/** Marks a code used by a member (redeemed or awarded), in the caller's transaction. */
export async function assignCode(db: Queryable, code: string, status: 'redeemed' | 'awarded', memberId: string): Promise<void> {
  await db.query(`update codes set status = $2, member_id = $3, status_changed_at = now(), redeemed_at = now() where code = $1`, [
    code,
    status,
    memberId,
  ]);
}

/**
 * Takes one unused code for a reward or campaign: from its own pool, else from the unassociated bank. The row
 * stays locked until the caller commits; SKIP LOCKED lets concurrent takers pass each other instead of queueing.
 */
export async function takeUnusedCode(db: Queryable, poolId: string): Promise<{ code: string; fromBank: boolean } | null> {
  // An expired code is never handed out (it stays unused, and shows as expired in search). The pool id goes in as
  // a sub-select on purpose: given the value, the planner (seeing a pool of half the table) walked the primary key
  // in code order through every issued code; not knowing it, it takes codes_unused_by_pool, which holds none.
  const take = `select code from codes where pool_id = (select $1::uuid) and status = 'unused' and (expires_at is null or expires_at > now())
                 order by code limit 1 for update skip locked`;
  const own = await db.query(take, [poolId]);
  if (own.rows[0]) return { code: own.rows[0].code, fromBank: false };
  const bank = await db.query(take.replace('(select $1::uuid)', `(select id from code_pools where kind = 'bank')`), []);
  return bank.rows[0] ? { code: bank.rows[0].code, fromBank: true } : null;
}

/**
 * Cancels up to `limit` still-cancellable codes of a batch and records each change in code_history, in one
 * statement. Idempotent by construction: a retry only finds the codes not yet cancelled. Returns how many it
 * cancelled; SKIP LOCKED passes codes a redemption holds (a later round finds them).
 */
export async function cancelBatchCodes(db: Queryable, batchId: string, limit: number, actor: string, reason: string): Promise<number> {
  const { rowCount } = await db.query(
    `with picked as (
       select code, status from codes where batch_id = $1 and status in ('unused', 'reserved')
        order by code limit $2 for update skip locked),
     cancelled as (
       update codes c set status = 'cancelled', status_changed_at = now() from picked
        where c.code = picked.code returning c.code, picked.status as previous)
     insert into code_history (code, kind, from_status, to_status, actor, reason)
     select code, 'status_change', previous, 'cancelled', $3, $4 from cancelled`,
    [batchId, limit, actor, reason],
  );
  return rowCount ?? 0;
}

/** A rolled-back code goes back to its pool as unused, without its member (the caller holds its row lock). */
export async function releaseCode(db: Queryable, code: string): Promise<void> {
  await db.query(`update codes set status = 'unused', member_id = null, redeemed_at = null, status_changed_at = now() where code = $1`, [
    code,
  ]);
}
