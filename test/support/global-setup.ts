import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeError } from '../../model/errors';
import { loadConfig } from '../../runtime/config';
import { startStack } from '../../runtime/stack';
import { Teardown } from '../../runtime/teardown';
import { freePorts } from '../../runtime/ports';
import { SecretBox } from '../../domain/secret-box';

export const TEMPLATE_DATABASE = 'loyalty_template';

/**
 * Starts the real services the integration tests share (the same start helper as `npm start`, on free ports, in
 * a temporary folder) and hands their addresses over through the environment. A failure stops what was started.
 */
export default async function globalSetup(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-test-'));
  fs.chmodSync(root, 0o777); // as root, PostgreSQL runs as the postgres user and must reach its data folder
  const teardown = new Teardown();
  try {
    const [pgPort, temporalPort] = await freePorts(2);
    const stack = await startStack({
      dataDir: root,
      toolsDir: loadConfig().toolsDir,
      databaseName: TEMPLATE_DATABASE,
      postgresPort: pgPort,
      temporalPort,
      temporalPersistent: false,
      teardown,
    });
    process.env.TEST_ROOT = root;
    process.env.TEST_PG_ADMIN_URL = stack.adminUrl!;
    // The tests connect as the embedded default's application role, as the API and the workers do.
    process.env.TEST_PG_APP_URL = stack.databaseUrl;
    process.env.TEST_PG_PORT = String(pgPort);
    process.env.TEST_TEMPORAL_ADDRESS = stack.temporalAddress;
    process.env.TEST_TEMPORAL_CLI = stack.temporalCli!;
    process.env.WORKFLOW_BUNDLE_PATH = stack.workflowBundlePath;
    // Webhook secrets are sealed at rest: one key for the run, which child processes (workers, APIs) inherit.
    process.env.SECRETS_KEY ??= SecretBox.newKey();
    (globalThis as Record<string, unknown>).__services = { teardown, root };
  } catch (error) {
    await teardown.run();
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`the integration test setup failed: ${describeError(error)}`, { cause: error });
  }
}
