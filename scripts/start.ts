/**
 * `npm start`: the whole system on one machine. This process only supervises: PostgreSQL (embedded unless
 * DATABASE_URL), a Temporal dev server (unless TEMPORAL_ADDRESS), the worker and the API each run as a process of
 * their own (a worker crash is a restart, not an API outage). One progress line per step, then the summary; the
 * detailed logs go to files under the data folder. Ctrl-C stops everything, in order. After a hard crash of this
 * process the next start finds what it left (PostgreSQL, the dev server) and stops it before starting again.
 */
import path from 'node:path';
import { describeError } from '../model/errors';
import { loadConfig } from '../runtime/config';
import { claimDataDir, resolveDataDir } from '../runtime/data-dir';
import { loadOrCreateDevKeys, loadOrCreateSecretsKey } from '../runtime/dev-keys';
import { assertPortFree } from '../runtime/processes';
import { portClash } from '../runtime/ports';
import { startStack } from '../runtime/stack';
import { startSupervised } from '../runtime/supervised-process';
import { failpoint, Teardown } from '../runtime/teardown';
import { ensureConsoleBuilt } from './build-console';

const line = (name: string, detail: string) => console.log(`  ${name.padEnd(11)} ${detail}`);
const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

async function main() {
  const config = loadConfig();
  const teardown = new Teardown();
  let stopping = false;
  const stopAll = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    void teardown.run().then(() => process.exit(exitCode));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopAll(EXIT_CODES[signal]));
  // `npm start` forwards SIGINT and SIGTERM to us (package.json execs node, so no shell sits in between); should
  // whatever started us die without a word (npm SIGKILLed), we stop as if the terminal had closed.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stopAll(EXIT_CODES.SIGHUP), 1000).unref();

  try {
    console.log('Loyalty codes campaign runner');
    const clash = portClash({
      PORT: config.port,
      WORKER_METRICS_PORT: config.workerMetricsPort,
      EMBEDDED_POSTGRES_PORT: config.databaseUrl ? undefined : config.embeddedPostgresPort,
      TEMPORAL_PORT: config.temporalAddress ? undefined : config.temporalPort,
      TEMPORAL_UI_PORT: config.temporalAddress ? undefined : config.temporalUiPort,
    });
    if (clash) throw new Error(clash);
    const data = resolveDataDir(config.dataDir, { explicit: Boolean(process.env.DATA_DIR), embeddedPostgres: !config.databaseUrl });
    const release = claimDataDir(data.dir);
    teardown.add('the data folder claim', async () => release());
    line('Data', data.dir);
    if (data.movedBecause) line('', `(not in the project folder: ${data.movedBecause})`);
    const stack = await startStack({
      dataDir: data.dir,
      toolsDir: config.toolsDir,
      databaseName: 'loyalty',
      databaseUrl: config.databaseUrl,
      temporalAddress: config.temporalAddress,
      postgresPort: config.embeddedPostgresPort,
      temporalPort: config.temporalPort,
      temporalUiPort: config.temporalUiPort,
      reservedPorts: [config.port, config.workerMetricsPort],
      temporalPersistent: true,
      temporalRuntime: config.temporalRuntime,
      teardown,
      progress: line,
      supervise: {
        report: (message) => line('!', message),
        onGiveUp: (message) => {
          console.error(`\n${message}`);
          stopAll(1);
        },
      },
    });
    line('Logs', `${stack.logsDir}${process.env.LOG_LEVEL ? ` (LOG_LEVEL=${process.env.LOG_LEVEL}, also shown here)` : ''}`);

    // The console is built on the first start and whenever its sources changed since (then cached by a hash).
    await ensureConsoleBuilt({ log: () => line('Console', 'building dist/console (once per change)') });

    const apiKeys = config.apiKeys ?? loadOrCreateDevKeys(data.dir);
    const env = {
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      WORKFLOW_BUNDLE_PATH: stack.workflowBundlePath,
      API_KEYS: apiKeys,
      SECRETS_KEY: config.webhooks.secretsKey ?? loadOrCreateSecretsKey(data.dir),
      DATA_DIR: data.dir,
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
      // The console links each job to its workflow in the Temporal UI.
      ...(!process.env.TEMPORAL_UI_URL && stack.temporalUi ? { TEMPORAL_UI_URL: stack.temporalUi } : {}),
    };
    const supervise = (name: string, entry: string, logName: string, extra: Record<string, string> = {}) =>
      startSupervised(
        {
          name,
          entry,
          env: { ...env, ...extra },
          logFile: path.join(stack.logsDir, logName),
          echo: Boolean(process.env.LOG_LEVEL),
          report: (message) => line('!', message),
        },
        teardown,
      );
    await assertPortFree(config.workerMetricsPort, "the worker's metrics", 'WORKER_METRICS_PORT');
    const worker = await supervise('the worker', 'worker/index.ts', 'worker.log', {
      SERVICE_NAME: 'worker',
      WORKER_METRICS_PORT: String(config.workerMetricsPort),
    });
    line('Worker', `running (pid ${worker.pid()}; restarted if it dies)`);
    failpoint('worker');
    await assertPortFree(config.port, 'API', 'PORT');
    const api = await supervise('the API', 'api/server.ts', 'api.log', { PORT: String(config.port), SERVICE_NAME: 'api' });
    const apiUrl = `http://localhost:${config.port}`;
    line('API', `${apiUrl} (pid ${api.pid()})`);
    failpoint('api');
    // The operator console lands in the API when it is built: shown once the API serves it.
    const console_ = await fetch(`http://127.0.0.1:${config.port}/console`, { redirect: 'manual' }).catch(() => undefined);
    if (console_ && console_.status < 400) line('Console', `${apiUrl}/console`);

    console.log('\nThe loyalty codes campaign runner is up.');
    console.log(`  Console:      ${apiUrl}/console  (sign in with one of the keys below)`);
    console.log(`  API:          ${apiUrl}  (docs: ${apiUrl}/docs)`);
    console.log(`  Temporal UI:  ${stack.temporalUi ?? 'the UI of your Temporal cluster'}`);
    console.log(`  Metrics:      ${apiUrl}/metrics (API), http://localhost:${config.workerMetricsPort}/metrics (worker)`);
    console.log(`  Probes:       ${apiUrl}/healthz (liveness), ${apiUrl}/readyz (readiness)`);
    console.log(`  API keys${config.apiKeys ? ' (from API_KEYS)' : ' (dev keys, kept in ' + path.join(data.dir, 'dev-api-keys') + ')'}:`);
    for (const entry of apiKeys.split(',')) {
      const [role, key] = [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)];
      console.log(`    ${role.padEnd(9)} ${config.apiKeys ? key.slice(0, 4) + '…' : key}`);
    }
    console.log('Press Ctrl-C to stop.');
  } catch (error) {
    if (stopping) return; // Ctrl-C during start-up: the signal handler is already stopping everything
    stopping = true;
    console.error(`\nStart-up failed: ${describeError(error)}`);
    await teardown.run();
    process.exit(1);
  }
}

void main();
