import type { TestSystem } from './test-system';

/** What the chunk fault hooks of a generation or import job are given. */
export type ChunkInput = { chunkIndex?: number; batchId?: string };

/** The committed chunks of a batch, and the codes they inserted. */
export async function chunkRows(system: TestSystem, batchId: string) {
  const { rows } = await system.db.query(
    `select count(*)::int as chunks, coalesce(sum(inserted), 0)::int as inserted from code_batch_chunks where batch_id = $1`,
    [batchId],
  );
  return rows[0] as { chunks: number; inserted: number };
}

/** The codes of a batch, and how many of them are distinct. */
export async function codesOf(system: TestSystem, batchId: string) {
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1`, [
    batchId,
  ]);
  return rows[0] as { n: number; d: number };
}
