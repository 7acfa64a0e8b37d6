import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../runtime/config';
import { ensureDatabase, startEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { ensureTemporalCli } from '../../runtime/temporal-cli';
import { freePort, startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { migrate } from '../../db/migrate';

export const TEMPLATE_DATABASE = 'loyalty_template';

/** Starts the real services the integration tests share, and hands their addresses over through the environment. */
export default async function globalSetup(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-test-'));
  fs.chmodSync(root, 0o777); // as root, PostgreSQL runs as the postgres user and must reach its data folder
  const cli = await ensureTemporalCli(loadConfig().toolsDir);

  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [pg, temporal, bundle] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(root, 'postgres'), port: pgPort, quiet: true }),
    startTemporalDevServer({ cliPath: cli, port: temporalPort, headless: true, logFile: path.join(root, 'temporal.log') }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } }),
  ]);
  await migrate(await ensureDatabase(pg.url, TEMPLATE_DATABASE));
  const bundlePath = path.join(root, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env.TEST_ROOT = root;
  process.env.TEST_PG_ADMIN_URL = pg.url;
  process.env.TEST_PG_PORT = String(pgPort);
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_TEMPORAL_CLI = cli;
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  (globalThis as Record<string, unknown>).__services = { pg, temporal, root };
}
