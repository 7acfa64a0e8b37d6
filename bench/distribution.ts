import { count, mb, resetCodes, seconds, waitForJob, type BenchContext } from './context';
import { generateEndToEnd } from './generation';

const POOL = { type: 'campaign' as const, id: 'bench-distribution' };

/** Members `bench-member-0 …` tagged `bench-<n>`: the audience of a distribution to n members. */
async function seedMembers(ctx: BenchContext, n: number): Promise<string> {
  const tag = `bench-${n}`;
  await ctx.db.query(
    `insert into members (id, tags) select 'bench-member-' || i, array[$2] from generate_series(0, $1 - 1) i
     on conflict (id) do update set tags = excluded.tags`,
    [n, tag],
  );
  await ctx.db.query('vacuum analyze members');
  return tag;
}

/** POST a distribution through the API and wait for it: request → staged audience → workflow → rows committed. */
async function distributeEndToEnd(ctx: BenchContext, tag: string, members: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${ctx.baseUrl}/v1/distributions`, {
    method: 'POST',
    headers: { ...ctx.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ pool: POOL, audience: { type: 'filter', tags: [tag] } }),
  });
  if (res.status !== 202) throw new Error(`distribution refused: ${res.status} ${await res.text()}`);
  const job = await waitForJob(ctx, `/v1/distributions/${((await res.json()) as { id: string }).id}`);
  if (job.status !== 'completed' || job.assigned !== members) throw new Error(`distribution ended ${job.status} with ${job.assigned}`);
  return performance.now() - started;
}

/**
 * §5: a distribution of n codes to n members against the generation of n codes in the same run (target <= 2x),
 * and the worker's peak RSS distributing at two sizes (target: within 1.2x).
 */
export async function benchDistribution(ctx: BenchContext, sizes: { main: number; large: number }): Promise<void> {
  console.log(`\n## Distribution`);
  const peaks: number[] = [];
  for (const n of [sizes.main, sizes.large]) {
    await resetCodes(ctx.db);
    await ctx.db.query('truncate distribution_assignments, distribution_members');
    const tag = await seedMembers(ctx, n);
    const generator = await ctx.startWorker();
    const generation = await generateEndToEnd(ctx, n, POOL);
    await generator.stop();
    await ctx.db.query('vacuum analyze codes');
    const worker = await ctx.startWorker();
    const elapsed = await distributeEndToEnd(ctx, tag, n);
    peaks.push(worker.peakRss());
    await worker.stop();
    console.log(
      `distribute ${count(n)} codes to ${count(n)} members end to end: ${seconds(elapsed)}; generating them: ${seconds(generation)}: ` +
        `${(elapsed / generation).toFixed(2)}x the generation (target <= 2x)`,
    );
  }
  console.log(
    `worker peak RSS distributing: ${mb(peaks[0])} at ${count(sizes.main)} members, ${mb(peaks[1])} at ${count(sizes.large)}: ` +
      `${(peaks[1] / peaks[0]).toFixed(2)}x (target: within 1.2x)`,
  );
}
