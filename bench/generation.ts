import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/database';
import { resolvePool } from '../db/code-pools';
import { insertBatch } from '../db/code-batches';
import { CodeGenerator } from '../domain/code-generator';
import { resolveCodeSpec } from '../domain/code-spec';
import type { PoolTarget } from '../model/pool';
import { count, mb, resetCodes, seconds, waitForJob, type BenchContext } from './context';

const SPEC = { length: 12, charset: 'alphanumeric' as const };

/** `count` fresh codes, in drawn (random) order unless sorted. */
export function drawCodes(n: number, sorted = false): string[] {
  const codes = [...new CodeGenerator(resolveCodeSpec(SPEC)).distinct(n)];
  return sorted ? codes.sort() : codes;
}

/** Baseline: one bare COPY of pre-generated codes into the same table, with the same indexes. Returns ms. */
export async function bareCopy(db: Database, codes: string[]): Promise<number> {
  const pool = await resolvePool(db, undefined);
  const batchId = randomUUID();
  await insertBatch(db, {
    id: batchId,
    poolId: pool.id,
    source: 'generation',
    requested: codes.length,
    spec: null,
    shape: null,
    workflowId: 'baseline',
    createdBy: 'bench',
  });
  const suffix = `\t${pool.id}\t${batchId}\n`;
  const lines: string[] = [];
  for (let i = 0; i < codes.length; i += 10_000) lines.push(codes.slice(i, i + 10_000).join(suffix) + suffix);
  await db.query('checkpoint');
  const client = await db.connect();
  try {
    const started = performance.now();
    await client.query('begin');
    await pipeline(Readable.from(lines), client.query(copyFrom('copy codes (code, pool_id, batch_id) from stdin')));
    await client.query('commit');
    return performance.now() - started;
  } finally {
    client.release();
  }
}

/** POST a batch through the API and wait for it: request → workflow → rows committed. Returns ms. */
export async function generateEndToEnd(ctx: BenchContext, quantity: number, pool?: PoolTarget): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${ctx.baseUrl}/v1/code-batches`, {
    method: 'POST',
    headers: { ...ctx.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ quantity, ...SPEC, ...(pool ? { pool } : {}) }),
  });
  if (res.status !== 202) throw new Error(`generation refused: ${res.status} ${await res.text()}`);
  const job = await waitForJob(ctx, `/v1/code-batches/${((await res.json()) as { id: string }).id}`);
  if (job.status !== 'completed' || job.generated !== quantity) throw new Error(`generation ended ${job.status} with ${job.generated}`);
  return performance.now() - started;
}

/**
 * §5: generation end to end against a bare COPY of as many pre-generated codes (in drawn order, and sorted:
 * the pipeline sorts each chunk, so the sorted COPY is the stricter baseline); worker peak RSS at two sizes.
 */
export async function benchGeneration(ctx: BenchContext, sizes: { main: number; large: number }): Promise<void> {
  console.log(`\n## Bulk generation`);
  const baselines: Record<string, number> = {};
  for (const sorted of [false, true]) {
    await resetCodes(ctx.db);
    const label = sorted ? 'sorted' : 'drawn order';
    baselines[label] = await bareCopy(ctx.db, drawCodes(sizes.main, sorted));
    console.log(`baseline: bare COPY of ${count(sizes.main)} pre-generated codes (${label}): ${seconds(baselines[label])}`);
  }
  const peaks: number[] = [];
  for (const quantity of [sizes.main, sizes.large]) {
    await resetCodes(ctx.db);
    const worker = await ctx.startWorker();
    const elapsed = await generateEndToEnd(ctx, quantity);
    peaks.push(worker.peakRss());
    await worker.stop();
    const rate = count(Math.round(quantity / (elapsed / 1000 / 60)));
    const ratio =
      quantity !== sizes.main
        ? ''
        : `: ${(elapsed / baselines['drawn order']).toFixed(2)}x the bare COPY in drawn order, ` +
          `${(elapsed / baselines.sorted).toFixed(2)}x the sorted one (target <= 1.5x)`;
    console.log(`generate ${count(quantity)} codes end to end: ${seconds(elapsed)} (${rate} codes/min)${ratio}`);
  }
  console.log(
    `worker peak RSS: ${mb(peaks[0])} at ${count(sizes.main)} codes, ${mb(peaks[1])} at ${count(sizes.large)}: ` +
      `${(peaks[1] / peaks[0]).toFixed(2)}x (target: within 1.2x)`,
  );
}
