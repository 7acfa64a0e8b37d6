import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { bareCopy, drawCodes } from './generation';
import { count, mb, resetCodes, seconds, waitForJob, type BenchContext } from './context';

/** Counts bytes and newlines of a stream, keeping nothing. */
function sink(): Writable & { lines: number; bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      w.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) w.lines++;
      callback();
    },
  }) as Writable & { lines: number; bytes: number };
  w.lines = 0;
  w.bytes = 0;
  return w;
}

/** §5: import a CSV of `n` codes (target <= 2x a bare COPY of the same rows) and export them (<= 1.2x COPY TO). */
export async function benchImportExport(ctx: BenchContext, n: number): Promise<void> {
  console.log(`\n## CSV import and export`);
  const codes = drawCodes(n);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-csv-')), 'codes.csv');
  fs.writeFileSync(file, `code\n${codes.join('\n')}\n`);

  await resetCodes(ctx.db);
  const copyIn = await bareCopy(ctx.db, codes);
  console.log(`baseline: bare COPY of the same ${count(n)} rows: ${seconds(copyIn)}`);

  await resetCodes(ctx.db);
  const worker = await ctx.startWorker();
  const started = performance.now();
  const res = await fetch(`${ctx.baseUrl}/v1/code-imports?pool=reward:bench`, {
    method: 'POST',
    headers: { ...ctx.headers, 'Content-Type': 'text/csv' },
    body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
  const stagedMs = performance.now() - started;
  const job = await waitForJob(ctx, `/v1/code-imports/${((await res.json()) as { id: string }).id}`);
  const importMs = performance.now() - started;
  if (job.status !== 'completed' || job.imported !== n) throw new Error(`import ended ${job.status} with ${job.imported} imported`);
  console.log(
    `import a ${count(n)}-row CSV end to end (upload → staging → workflow → rows): ${seconds(importMs)}: ` +
      `${(importMs / copyIn).toFixed(2)}x the bare COPY (target <= 2x); upload and staging took ${seconds(stagedMs)}`,
  );
  console.log(`peak RSS during the import: API ${mb(ctx.api.peakRss())}, worker ${mb(worker.peakRss())}`);
  await worker.stop();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  await ctx.db.query('vacuum analyze codes');
  const client = await ctx.db.connect();
  const bare = sink();
  let copyOut: number;
  try {
    const t = performance.now();
    await pipeline(client.query(copyTo('copy codes to stdout with (format csv, header)')), bare);
    copyOut = performance.now() - t;
  } finally {
    client.release();
  }
  console.log(`baseline: bare COPY codes TO STDOUT (${count(bare.lines - 1)} rows): ${seconds(copyOut)}`);
  const t = performance.now();
  const exported = await fetch(`${ctx.baseUrl}/v1/codes/export`, { headers: ctx.headers });
  const out = sink();
  await pipeline(Readable.fromWeb(exported.body as never), out);
  const exportMs = performance.now() - t;
  if (out.lines - 1 !== n) throw new Error(`exported ${out.lines - 1} rows, expected ${n}`);
  console.log(
    `export ${count(n)} codes as CSV over HTTP: ${seconds(exportMs)} (${mb(out.bytes)}): ` +
      `${(exportMs / copyOut).toFixed(2)}x the bare COPY TO (target <= 1.2x)`,
  );
  console.log(`API peak RSS after import and export: ${mb(ctx.api.peakRss())}`);
}
