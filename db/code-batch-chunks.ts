import type { Queryable } from './database';

/**
 * Claims a chunk inside the caller's transaction. A second attempt of the same chunk blocks here until the
 * first commits (then sees the chunk as done) or aborts (then takes it over): never two writers of one chunk.
 * Returns null when the chunk was already committed, with the count it committed.
 */
export async function claimChunk(
  db: Queryable,
  batchId: string,
  chunkIndex: number,
): Promise<{ claimed: true } | { claimed: false; inserted: number }> {
  const { rowCount } = await db.query(`insert into code_batch_chunks (batch_id, chunk_index) values ($1, $2) on conflict do nothing`, [
    batchId,
    chunkIndex,
  ]);
  if (rowCount === 1) return { claimed: true };
  const { rows } = await db.query(`select inserted from code_batch_chunks where batch_id = $1 and chunk_index = $2`, [batchId, chunkIndex]);
  return { claimed: false, inserted: (rows[0] as { inserted: number }).inserted };
}

export async function recordChunk(db: Queryable, batchId: string, chunkIndex: number, inserted: number, redraws: number): Promise<void> {
  await db.query(
    `update code_batch_chunks set inserted = $3, redraws = $4, committed_at = now() where batch_id = $1 and chunk_index = $2`,
    [batchId, chunkIndex, inserted, redraws],
  );
}
