import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Database } from '../db/database';
import { createActivities, type ActivityFaults } from '../activities';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { loadConfig, type WebhookConfig } from '../runtime/config';
import { OutboxRelay } from './outbox-relay';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { tracingEnabled } from '../observability/tracing';

export interface WorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** A pre-built workflow bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  faults?: ActivityFaults;
  /** Outgoing webhooks; default: from the environment. */
  webhooks?: WebhookConfig;
}

export async function createWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  installTemporalRuntime();
  const webhooks = options.webhooks ?? loadConfig().webhooks;
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.db, webhooks, options.faults),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    maxConcurrentActivityTaskExecutions: 8,
  });
  // The outbox relay lives and dies with the worker: it starts when the worker runs and is stopped before
  // run() resolves, so callers that close the connection and the database after run() need not know of it.
  // With tracing on, starting a delivery workflow is a span of the relay's trace (and its context rides in the
  // workflow's headers).
  const interceptors = tracingEnabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
  const relay = new OutboxRelay(
    options.db,
    new Client({ connection, namespace: options.namespace, interceptors }),
    options.taskQueue,
    webhooks,
  );
  const run = worker.run.bind(worker);
  worker.run = async () => {
    relay.start();
    try {
      return await run();
    } finally {
      await relay.stop();
    }
  };
  return { worker, connection };
}
