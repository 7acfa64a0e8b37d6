import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { Queryable } from './database';

export type CodeStatus = 'unused' | 'reserved' | 'redeemed' | 'awarded' | 'fulfilled' | 'cancelled';

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
}

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
 * Fast path: COPY the codes straight into `codes`. When any of them already exists the COPY fails as a whole;
 * the savepoint undoes just that attempt and the caller takes the slow path. Returns whether it worked.
 */
export async function copyNewCodes(client: PoolClient, poolId: string, batchId: string, codes: Set<string>): Promise<boolean> {
  await client.query('savepoint copy_new_codes');
  try {
    await copyInto(client, 'copy codes (code, pool_id, batch_id) from stdin', codes, `\t${poolId}\t${batchId}\n`);
    await client.query('release savepoint copy_new_codes');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('rollback to savepoint copy_new_codes');
    return false;
  }
}

/** Slow path: stage the codes, insert those that don't exist yet, return how many went in. */
export async function insertCodesSkippingExisting(client: PoolClient, poolId: string, batchId: string, codes: Set<string>): Promise<number> {
  await client.query('create temp table if not exists staged_codes (code text) on commit drop');
  await client.query('truncate staged_codes');
  await copyInto(client, 'copy staged_codes (code) from stdin', codes, '\n');
  const { rowCount } = await client.query(
    `insert into codes (code, pool_id, batch_id) select code, $1, $2 from staged_codes on conflict (code) do nothing`,
    [poolId, batchId],
  );
  return rowCount ?? 0;
}

export async function findCode(db: Queryable, code: string): Promise<CodeRecord | null> {
  const { rows } = await db.query(
    `select c.code, c.status, c.pool_id as "poolId", p.kind as "poolKind", p.owner_id as "poolOwnerId",
            c.batch_id as "batchId", c.member_id as "memberId", c.expires_at as "expiresAt",
            c.created_at as "createdAt", c.status_changed_at as "statusChangedAt"
       from codes c join code_pools p on p.id = c.pool_id
      where c.code = $1`,
    [code],
  );
  return (rows[0] as CodeRecord | undefined) ?? null;
}
