import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Database } from '../db/database';
import { resolvePool } from '../db/code-pools';
import { insertBatch } from '../db/code-batches';
import { CodeGenerator } from '../domain/code-generator';
import { resolveCodeSpec, shapeKey } from '../domain/code-spec';
import { createApp } from '../api/app';
import { loadConfig } from '../runtime/config';
import { connectTemporalClient } from '../runtime/temporal-client';
import { parseApiKeys } from '../api/auth';
import { startWorkerProcess, type BenchServices } from './services';

const KEY = 'bench-operator-key';
const SPEC = { length: 12, charset: 'alphanumeric' as const };

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * Baseline: one bare COPY of `count` codes generated beforehand, into the same table with the same indexes,
 * in drawn (random) order and sorted; the pipeline sorts each chunk, so the sorted COPY is the stricter baseline.
 */
async function bareCopy(db: Database, count: number, sorted: boolean): Promise<number> {
  const spec = resolveCodeSpec(SPEC);
  const pool = await resolvePool(db, undefined);
  const batchId = randomUUID();
  await insertBatch(db, { id: batchId, poolId: pool.id, source: 'generation', requested: count, spec, shape: null, workflowId: 'baseline', createdBy: 'bench' });
  const codes = [...new CodeGenerator(spec).distinct(count)];
  if (sorted) codes.sort();
  const suffix = `\t${pool.id}\t${batchId}\n`;
  const lines: string[] = [];
  for (let i = 0; i < codes.length; i += 10_000) lines.push(codes.slice(i, i + 10_000).join(suffix) + suffix);
  await db.query('checkpoint');
  const client = await db.pool.connect();
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

async function resetCodes(db: Database) {
  await db.query('truncate codes, code_batch_chunks');
  await db.query('vacuum analyze codes');
  await db.query('checkpoint');
}

/** POST a batch through the API, poll until it completes; the time covers request → workflow → rows committed. */
async function generateEndToEnd(baseUrl: string, quantity: number): Promise<number> {
  const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
  const started = performance.now();
  const res = await fetch(`${baseUrl}/v1/code-batches`, { method: 'POST', headers, body: JSON.stringify({ quantity, ...SPEC }) });
  if (res.status !== 202) throw new Error(`generation refused: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const batch = (await (await fetch(`${baseUrl}/v1/code-batches/${id}`, { headers })).json()) as { status: string; generated: number };
    if (batch.status === 'completed') {
      if (batch.generated !== quantity) throw new Error(`generated ${batch.generated} of ${quantity}`);
      return performance.now() - started;
    }
    if (batch.status === 'failed') throw new Error('generation failed');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchGeneration(services: BenchServices, sizes: { main: number; large: number }): Promise<void> {
  const env = {
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: 'bench',
    WORKFLOW_BUNDLE_PATH: services.workflowBundlePath,
    CODE_BATCH_MAX_QUANTITY: String(sizes.large),
  };
  const config = loadConfig({ ...process.env, ...env });
  const db = new Database(services.databaseUrl);
  const temporal = await connectTemporalClient(services.temporalAddress, config.temporalNamespace);
  const server = createApp({ db, temporal, config }, parseApiKeys(`operator:${KEY}`)).listen(0);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  console.log(`\n## Bulk generation (${config.chunkSize} codes per chunk, ${config.chunkParallelism} chunks in flight)`);
  const baselines: Record<string, number> = {};
  for (const sorted of [false, true]) {
    await resetCodes(db);
    const label = sorted ? 'sorted' : 'random order';
    baselines[label] = await bareCopy(db, sizes.main, sorted);
    console.log(`bare COPY of ${sizes.main.toLocaleString('en')} pre-generated codes (${label}): ${seconds(baselines[label])}`);
  }

  const peaks: number[] = [];
  for (const quantity of [sizes.main, sizes.large]) {
    await resetCodes(db);
    const worker = await startWorkerProcess(env);
    const elapsed = await generateEndToEnd(baseUrl, quantity);
    peaks.push(worker.peakRss());
    await worker.stop();
    const rate = Math.round(quantity / (elapsed / 1000 / 60)).toLocaleString('en');
    const ratio = quantity !== sizes.main ? '' :
      `: ${(elapsed / baselines['random order']).toFixed(2)}x the bare COPY in random order, ` +
      `${(elapsed / baselines.sorted).toFixed(2)}x the sorted one (target <= 1.5x)`;
    console.log(`generate ${quantity.toLocaleString('en')} codes end to end: ${seconds(elapsed)} (${rate} codes/min)${ratio}`);
  }
  console.log(`worker peak RSS: ${mb(peaks[0])} at ${sizes.main.toLocaleString('en')} codes, ${mb(peaks[1])} at ${sizes.large.toLocaleString('en')}: ` +
    `${(peaks[1] / peaks[0]).toFixed(2)}x (target: within 1.2x)`);

  server.close();
  await temporal.connection.close();
  await db.close();
}
