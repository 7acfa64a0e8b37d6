/**
 * The operator's command line: generate, import and export codes and look up jobs and codes through the HTTP
 * API (never the database directly, so API keys, roles and validation apply as for any other client).
 * Results go to stdout, progress and errors to stderr; any failure exits with status 1.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient, ApiResponseError, CliError } from './cli/http';
import { startProgress } from './cli/progress';
import { requireCompleted, watchJob, type Job } from './cli/jobs';
import { downloadCsv } from './cli/download';
import { allItems } from './cli/pages';
import { parsePoolReference, POOL_REFERENCE_HINT, type PoolTarget } from '../model/pool';

interface GlobalOptions {
  url: string;
  key?: string;
}

interface CodeBatch extends Job {
  requested: number;
  generated: number;
}

interface CodeImport extends Job {
  rows: number;
  imported: number;
  rejected: number;
  rejections: Array<{ line: number; code: string | null; reason: string }>;
}

const REJECTIONS_SHOWN = 20;

const program = new Command('loyalty-codes')
  .description('Operate the loyalty-codes API: generate, import and export codes, follow jobs')
  .addOption(new Option('--url <url>', 'API base URL').env('LOYALTY_API_URL').default('http://localhost:3000'))
  .addOption(new Option('--key <key>', 'API key (operator role)').env('LOYALTY_API_KEY'))
  .showHelpAfterError('(add --help for usage)');

function client(): ApiClient {
  const { url, key } = program.opts<GlobalOptions>();
  // Checked here rather than as a mandatory option so that --help works without a key.
  if (!key) throw new CliError('no API key: pass --key or set LOYALTY_API_KEY');
  return new ApiClient(url, key);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** `campaign:<id>` / `reward:<id>` as the JSON body of a generation wants it (imports pass the string on). */
function parsePool(value: string): PoolTarget {
  const target = parsePoolReference(value);
  if (!target) throw new InvalidArgumentError(POOL_REFERENCE_HINT);
  return target;
}

const poolOption = () => new Option('--pool <pool>', 'campaign:<id> or reward:<id> (default: the unassociated bank)');
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

program
  .command('generate')
  .description('generate random codes (a workflow) and follow it to the end')
  .requiredOption('--quantity <n>', 'how many codes', positiveInt)
  .requiredOption('--length <n>', 'random characters per code (prefix, suffix and check character come on top)', positiveInt)
  .addOption(
    new Option('--charset <charset>', 'characters to draw from')
      .choices(['numeric', 'alpha', 'alphanumeric', 'custom'])
      .makeOptionMandatory(),
  )
  .option('--alphabet <chars>', 'with --charset custom: the characters to use')
  .option('--prefix <s>', 'text before each code')
  .option('--suffix <s>', 'text after each code')
  .option('--exclude-look-alikes', 'drop 0, O, 1, I and L from the alphabet')
  .addOption(new Option('--check <algorithm>', 'append a check character').choices(['none', 'luhn', 'damm']))
  .addOption(poolOption().argParser(parsePool))
  .option('--no-wait', 'print the accepted job and return without following it')
  .action(async (opts) => {
    const api = client();
    const batch = await api.json<CodeBatch>('/v1/code-batches', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        quantity: opts.quantity,
        length: opts.length,
        charset: opts.charset,
        alphabet: opts.alphabet,
        prefix: opts.prefix,
        suffix: opts.suffix,
        excludeLookAlikes: opts.excludeLookAlikes,
        checkCharacter: opts.check,
        pool: opts.pool,
      }),
    });
    if (!opts.wait) return print(batch);
    const progress = startProgress('generated', batch.requested, 'codes');
    const done = await watchJob(
      'batch',
      batch.id,
      () => api.json<CodeBatch>(`/v1/code-batches/${batch.id}`),
      progress,
      (b) => progress.update(b.generated, b.requested),
    );
    requireCompleted('batch', done);
    process.stdout.write(`batch ${done.id} completed: ${done.generated} codes\n`);
  });

program
  .command('import')
  .description('import codes from a CSV file (header "code", optional "expires_at") and follow the import to the end')
  .argument('<file>', 'the CSV file')
  .addOption(poolOption())
  .option('--no-wait', 'print the accepted job and return without following it')
  .action(async (file: string, opts) => {
    const api = client();
    // Checked up front: a missing file would otherwise surface as an opaque network error from fetch.
    await fs.promises.access(file, fs.constants.R_OK).catch(() => {
      throw new CliError(`cannot read ${file}`);
    });
    const accepted = await api.json<CodeImport>('/v1/code-imports', {
      method: 'POST',
      query: { pool: opts.pool },
      headers: { 'Content-Type': 'text/csv' },
      // Streamed, so a file of millions of rows never sits in memory.
      body: Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream,
      duplex: 'half',
    });
    if (!opts.wait) return print(accepted);
    const url = `/v1/code-imports/${accepted.id}`;
    const progress = startProgress('imported', accepted.rows, 'rows');
    const done = await watchJob(
      'import',
      accepted.id,
      () => api.json<CodeImport>(url, { query: { limit: '1' } }),
      progress,
      (i) => progress.update(i.imported + i.rejected, i.rows),
    );
    requireCompleted('import', done);
    process.stdout.write(`import ${done.id} completed: ${done.imported} imported, ${done.rejected} rejected\n`);
    if (done.rejected === 0) return;
    const report = await api.json<CodeImport>(url, { query: { limit: String(REJECTIONS_SHOWN) } });
    for (const r of report.rejections) process.stdout.write(`line ${r.line}: ${r.reason} (${r.code ?? ''})\n`);
    if (done.rejected > report.rejections.length) {
      process.stdout.write(`… and ${done.rejected - report.rejections.length} more: loyalty-codes job ${done.id}\n`);
    }
  });

program
  .command('export')
  .description('export the codes matching the filters as CSV')
  .argument('<file>', 'where to write the CSV')
  .addOption(new Option('--pool <pool>', 'bank, campaign:<id> or reward:<id>'))
  .option('--status <status>', 'only codes with this status')
  .option('--batch <id>', 'only codes of this generation or import batch')
  .option('--prefix <s>', 'only codes starting with this')
  .option('--member <id>', 'only codes of this member')
  .action(async (file: string, opts) => {
    const res = await client().send('/v1/codes/export', {
      headers: { Accept: 'text/csv' },
      query: { pool: opts.pool, status: opts.status, batch: opts.batch, prefix: opts.prefix, member: opts.member },
    });
    const progress = startProgress('written', undefined, 'bytes');
    const { records } = await downloadCsv(res.body, file, progress).catch((error: Error) => {
      throw new CliError(`export to ${file} failed: ${error.message}`);
    });
    process.stdout.write(`exported ${records} codes to ${file}\n`);
  });

program
  .command('job')
  .description('show a generation batch or an import by id')
  .argument('<id>', 'the batch or import id')
  .action(async (id: string) => {
    const api = client();
    const path = encodeURIComponent(id);
    try {
      const batch = await api.json<CodeBatch & { source?: string }>(`/v1/code-batches/${path}`);
      // An import is a batch too; its own view adds the row counts and the first refused rows.
      print(batch.source === 'import' ? await api.json<CodeImport>(`/v1/code-imports/${path}`) : batch);
    } catch (error) {
      if (!(error instanceof ApiResponseError) || error.status !== 404) throw error;
      print(
        await api.json<CodeImport>(`/v1/code-imports/${path}`).catch((second: unknown) => {
          if (second instanceof ApiResponseError && second.status === 404)
            throw new ApiResponseError(404, 'job_not_found', `no code batch or import with id "${id}"`);
          throw second;
        }),
      );
    }
  });

program
  .command('jobs')
  .description('list generation and import jobs, newest first, one JSON line each, through every page')
  .addOption(new Option('--pool <pool>', 'bank, campaign:<id> or reward:<id>'))
  .addOption(new Option('--source <source>', 'only generations or only imports').choices(['generation', 'import']))
  .option('--max <n>', 'stop after this many jobs', positiveInt)
  .option('--page-size <n>', 'jobs asked per request (at most 200)', positiveInt, 200)
  .action(async (opts: { pool?: string; source?: string; max?: number; pageSize: number }) => {
    let shown = 0;
    const query = { pool: opts.pool, source: opts.source, limit: String(Math.min(opts.pageSize, 200)) };
    for await (const job of allItems<Job>(client(), '/v1/jobs', 'jobs', query)) {
      if (opts.max !== undefined && shown === opts.max) break;
      process.stdout.write(`${JSON.stringify(job)}\n`);
      shown++;
    }
  });

program
  .command('code')
  .description('show one code with its origin and history')
  .argument('<code>', 'the code (case, spaces and dashes ignored)')
  .action(async (code: string) => {
    print(await client().json(`/v1/codes/${encodeURIComponent(code)}`));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof CliError ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exitCode = 1;
});
