/**
 * `npm start`: the whole system on one machine. PostgreSQL is embedded unless DATABASE_URL is set; a Temporal
 * dev server (SQLite file, Web UI) runs as a child process unless TEMPORAL_ADDRESS is set; then the worker and
 * the API run in this process. Ctrl-C stops everything.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import exitHook from 'async-exit-hook';
import { Database } from '../db/database';
import { migrate } from '../db/migrate';
import { loadConfig } from '../runtime/config';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../runtime/embedded-postgres';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { startTemporalDevServer, type RunningTemporal } from '../runtime/temporal-dev-server';
import { connectTemporalClient } from '../runtime/temporal-client';
import { loadOrCreateDevKeys } from '../runtime/dev-keys';
import { parseApiKeys } from '../api/auth';
import { createApp } from '../api/app';
import { createWorker } from '../worker/create-worker';
import { ensureConsoleBuilt } from './build-console';

async function main() {
  const config = loadConfig();
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  };
  // embedded-postgres stops its server through async-exit-hook, which exits once every hook is done: our
  // shutdown (API, worker, Temporal dev server) registers there too, so Ctrl-C waits for all of it.
  exitHook((done) => {
    console.log('\nStopping...');
    stopAll().then(done);
  });

  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      console.log(`Starting embedded PostgreSQL on port ${config.embeddedPostgresPort} (data: ${path.join(config.dataDir, 'postgres')})`);
      const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.embeddedPostgresPort });
      stops.push(() => pg.stop());
      databaseUrl = await ensureDatabase(pg.url, 'loyalty');
    }
    await migrate(databaseUrl);
    // The console is built on first start and whenever its sources changed since (a few seconds, then cached).
    await ensureConsoleBuilt();

    let temporalAddress = config.temporalAddress;
    let temporalUi = 'the UI of your Temporal cluster';
    if (!temporalAddress) {
      const cli = await ensureTemporalCli(config.toolsDir);
      console.log(`Starting the Temporal dev server on port ${config.temporalPort}`);
      const temporal: RunningTemporal = await startTemporalDevServer({
        cliPath: cli,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        logFile: path.join(config.dataDir, 'temporal.log'),
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl!;
      config.temporalUiUrl ??= temporal.uiUrl;
    }

    const db = new Database(databaseUrl);
    stops.push(() => db.close());
    const { worker, connection } = await createWorker({
      temporalAddress, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, lockout: config.lockout,
    });
    const workerDone = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await workerDone;
      await connection.close();
    });

    const apiKeys = config.apiKeys ?? loadOrCreateDevKeys(config.dataDir);
    const temporalClient = await connectTemporalClient(temporalAddress, config.temporalNamespace);
    stops.push(() => temporalClient.connection.close());
    const server: Server = await new Promise((resolve) => {
      const s = createApp({ db, temporal: temporalClient, config }, parseApiKeys(apiKeys)).listen(config.port, () => resolve(s));
    });
    stops.push(() => new Promise((resolve) => server.close(resolve)));

    console.log('\nThe loyalty codes campaign runner is up.');
    console.log(`  API:          http://localhost:${config.port}  (docs: http://localhost:${config.port}/docs)`);
    console.log(`  Console:      http://localhost:${config.port}/console  (sign in with one of the keys below)`);
    console.log(`  Temporal UI:  ${temporalUi}`);
    console.log(`  API keys${config.apiKeys ? ' (from API_KEYS)' : ' (dev keys, kept in ' + path.join(config.dataDir, 'dev-api-keys') + ')'}:`);
    for (const entry of apiKeys.split(',')) {
      const [role, key] = [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)];
      console.log(`    ${role.padEnd(9)} ${config.apiKeys ? key.slice(0, 4) + '…' : key}`);
    }
    console.log('Press Ctrl-C to stop.');
  } catch (error) {
    console.error(`Start-up failed: ${(error as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

main();
