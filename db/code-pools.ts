import type { Queryable } from './database';
import type { PoolKind, PoolTarget } from '../model/pool';

export interface CodePool {
  id: string;
  kind: PoolKind;
  ownerId: string | null;
}

const columns = `id, kind, owner_id as "ownerId"`;

/** The pool for a target, created on first use (campaigns and rewards attach to it by kind and owner id). */
export async function resolvePool(db: Queryable, target: PoolTarget | undefined): Promise<CodePool> {
  if (!target) {
    const { rows } = await db.query(`select ${columns} from code_pools where kind = 'bank'`);
    return rows[0] as CodePool;
  }
  const { rows } = await db.query(
    `insert into code_pools (kind, owner_id) values ($1, $2)
     on conflict (kind, owner_id) do update set kind = excluded.kind
     returning ${columns}`,
    [target.type, target.id],
  );
  return rows[0] as CodePool;
}
