import { loadConfig } from '../runtime/config';
import { temporalServerTools } from '../runtime/temporal-server-tools';
import { createBenchContext, count, resetCodes, seconds, waitForJob, type BenchContext } from './context';
import { generateEndToEnd } from './generation';
import { startBenchServices } from './services';

/** A `n`-row CSV import through the API, end to end. Returns ms. */
async function importEndToEnd(ctx: BenchContext, n: number): Promise<number> {
  const csv = ['code', ...Array.from({ length: n }, (_, i) => `RUNTIME${String(i).padStart(8, '0')}`)].join('\n');
  const started = performance.now();
  const res = await fetch(`${ctx.baseUrl}/v1/code-imports`, {
    method: 'POST',
    headers: { ...ctx.headers, 'Content-Type': 'text/csv' },
    body: csv,
  });
  if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
  const job = await waitForJob(ctx, `/v1/code-imports/${((await res.json()) as { id: string }).id}`);
  if (job.status !== 'completed' || job.imported !== n) throw new Error(`import ended ${job.status} with ${job.imported}`);
  return performance.now() - started;
}

/**
 * The same generation and import on the CLI's dev server (SQLite, what `npm start` runs) and on the real Temporal
 * server on PostgreSQL (4 shards, what production runs), each on fresh services, in the same run.
 */
export async function benchRuntimes(n: number): Promise<void> {
  console.log(`\n## Temporal runtimes: dev server vs the real server`);
  if (!temporalServerTools(loadConfig().toolsDir)) {
    console.log('skipped: the real Temporal server is not built (`npm run setup -- --server`)');
    return;
  }
  const rows: string[] = [];
  for (const runtime of ['dev', 'server'] as const) {
    const services = await startBenchServices(runtime);
    const ctx = await createBenchContext(services, n);
    const worker = await ctx.startWorker();
    try {
      await resetCodes(ctx.db);
      const generation = await generateEndToEnd(ctx, n);
      const imported = await importEndToEnd(ctx, n);
      rows.push(
        `| ${runtime === 'dev' ? 'dev server (SQLite)' : 'real server (PostgreSQL, 4 shards)'} | ${seconds(generation)} | ${seconds(imported)} |`,
      );
    } finally {
      await worker.stop();
      await ctx.close();
      await services.stop();
    }
  }
  console.log(`| Temporal | generate ${count(n)} codes | import ${count(n)} rows |\n| --- | --- | --- |\n${rows.join('\n')}`);
}
