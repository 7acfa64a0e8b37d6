/** Production entry point of a worker: `npm run worker` (DATABASE_URL and TEMPORAL_ADDRESS must be set). */
import '../observability/register-tracing'; // first: it instruments http and pg before they load
import { Database } from '../db/database';
import { loadConfig, workerDatabaseLimits } from '../runtime/config';
import { logger } from '../runtime/logger';
import { connectTemporalClient } from '../runtime/temporal-client';
import { createWorker } from './create-worker';
import { startJobReconciler } from './job-reconciler';
import { startPoolCountCompactor } from './pool-count-compactor';
import { refreshWorkerGauges } from './metrics-gauges';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { freePortOutside } from '../runtime/ports';
import { startWorkerMetricsServer } from '../observability/worker-metrics-server';
import { stopTracing } from '../observability/tracing';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('set DATABASE_URL and TEMPORAL_ADDRESS (or use `npm start`, which runs everything embedded)');
  }
  const db = new Database(config.databaseUrl, workerDatabaseLimits(config));
  // The SDK's metrics on a loopback port of their own, served to scrapers through ours (one target per worker).
  const temporalMetricsPort = await freePortOutside([config.workerMetricsPort]);
  installTemporalRuntime(`127.0.0.1:${temporalMetricsPort}`);
  const metrics = await startWorkerMetricsServer({
    port: config.workerMetricsPort,
    temporalMetricsUrl: `http://127.0.0.1:${temporalMetricsPort}/metrics`,
    refresh: () => refreshWorkerGauges(db),
  }).catch((error: Error) => {
    throw new Error(`the worker's metrics port ${config.workerMetricsPort} (WORKER_METRICS_PORT) can't be used: ${error.message}`);
  });
  const { worker, connection } = await createWorker({
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    db,
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    webhooks: config.webhooks,
    workflowIdPrefix: config.workflowIdPrefix,
  });
  const client = await connectTemporalClient(config.temporalAddress, config.temporalNamespace);
  const reconciler = startJobReconciler(db, client);
  const compactor = startPoolCountCompactor(db);
  logger.info(
    {
      queues: config.workerQueues.map((q) => ({ taskQueue: config.taskQueues[q.kind], slots: q.slots })),
      pid: process.pid,
      metrics: `http://localhost:${metrics.port}/metrics`,
    },
    'worker started',
  );
  process.send?.({ ready: true });
  const shutdown = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, shutdown);
  // Forked by a supervisor (`npm start`): when it dies, so do we, rather than run on as an orphan.
  process.once('disconnect', shutdown);
  await worker.run();
  await reconciler.stop();
  await compactor.stop();
  await client.connection.close();
  await connection.close();
  await metrics.close();
  await db.close();
  await stopTracing();
  if (process.connected) process.disconnect(); // the IPC channel (our 'disconnect' listener) would keep us alive
}

main().catch((error) => {
  logger.error({ err: error }, 'worker failed');
  process.exit(1);
});
