import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../runtime/config';
import { ensureDatabase, startEmbeddedPostgres } from '../runtime/embedded-postgres';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort, startTemporalDevServer } from '../runtime/temporal-dev-server';
import { migrate } from '../db/migrate';

export interface BenchServices {
  databaseUrl: string;
  temporalAddress: string;
  workflowBundlePath: string;
  stop(): Promise<void>;
}

/** Fresh PostgreSQL and Temporal dev server (SQLite file, as `npm start` runs it) in a temporary folder. */
export async function startBenchServices(): Promise<BenchServices> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-bench-'));
  fs.chmodSync(root, 0o777);
  const cli = await ensureTemporalCli(loadConfig().toolsDir);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: await freePort(), quiet: true });
  // BENCH_TEMPORAL_IN_MEMORY=1 drops the dev server's SQLite file, to see what persistence costs.
  const dbFile = process.env.BENCH_TEMPORAL_IN_MEMORY ? undefined : path.join(root, 'temporal.sqlite');
  const temporal = await startTemporalDevServer({ cliPath: cli, dbFile, port: await freePort(), headless: true });
  const databaseUrl = await ensureDatabase(pg.url, 'bench');
  await migrate(databaseUrl);
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: silent });
  const workflowBundlePath = path.join(root, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, bundle.code);
  return {
    databaseUrl,
    temporalAddress: temporal.address,
    workflowBundlePath,
    async stop() {
      await temporal.stop();
      await pg.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

const noop = () => undefined;
const silent = { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop };

export { startServiceProcess, type ServiceProcess } from '../runtime/service-process';
