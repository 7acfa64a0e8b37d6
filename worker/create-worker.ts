import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Database } from '../db/database';
import { createActivities, type ActivityFaults } from '../activities';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { loadConfig, taskQueuesFor, type RetentionConfig, type WebhookConfig, type WorkKind } from '../runtime/config';
import { OutboxRelay } from './outbox-relay';
import { temporalClientInterceptors, workerTracing } from '../observability/temporal-tracing';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../runtime/workflow-bundle';
import { resealWebhookSecrets } from '../db/webhook-subscriptions';
import { SecretBox } from '../domain/secret-box';
import { createWebhookDispatch } from './webhook-dispatcher';
import { createCommandDispatchers } from './outbox-commands';
import { ensureRetentionSchedule } from './retention-schedule';

export interface WorkerOptions {
  temporalAddress: string;
  namespace: string;
  /** The base task queue: each kind of work polls its own queue derived from it (runtime/config.ts taskQueuesFor). */
  taskQueue: string;
  db: Database;
  /** A pre-built workflow bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  faults?: ActivityFaults;
  /** Outgoing webhooks; default: from the environment. */
  webhooks?: WebhookConfig;
  /** The queues this process polls and their activity slots; default: from the environment (every queue). */
  queues?: Array<{ kind: WorkKind; slots: number }>;
  /** Retention; default: from the environment. */
  retention?: RetentionConfig;
  /** Create (or update) the retention Schedule at start (default true; tests that don't test it leave it out). */
  retentionSchedule?: boolean;
  /** Put in front of the retention Schedule's id (deployments or test files sharing a namespace). */
  workflowIdPrefix?: string;
}

/**
 * One Temporal worker per polled queue, run and shut down together: each has its own activity slots, so a queue
 * whose activities are slow (a receiver answering in 10 s) can't take the slots of another (a campaign's pause,
 * a generation's chunks).
 */
export class WorkerGroup {
  constructor(readonly workers: Worker[]) {}

  async run(): Promise<void> {
    // One failing stops the others, so the process (or test) sees the failure instead of half a worker.
    const runs = this.workers.map((w) =>
      w.run().catch((error: unknown) => {
        this.shutdown();
        throw error;
      }),
    );
    const failed = (await Promise.allSettled(runs)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  getState(): string {
    return this.workers[0]?.getState() ?? 'STOPPED';
  }
}

export async function createWorker(options: WorkerOptions): Promise<{ worker: WorkerGroup; connection: NativeConnection }> {
  installTemporalRuntime();
  const config = loadConfig();
  const webhooks = options.webhooks ?? config.webhooks;
  const retention = options.retention ?? config.retention;
  const queues = options.queues ?? config.workerQueues;
  const taskQueues = taskQueuesFor(options.taskQueue);
  // Refuses to start without SECRETS_KEY (the deliveries could not sign), and seals any secret still in the clear.
  await resealWebhookSecrets(options.db, SecretBox.for(webhooks.secretsKey));
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const activities = createActivities(options.db, webhooks, options.faults);
  const tracing = workerTracing();
  // A prebuilt bundle carries its workflow interceptor modules (runtime/workflow-bundle.ts); bundled here, they are named.
  const workflows = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath }, interceptors: tracing.interceptors }
    : {
        workflowsPath: require.resolve('../workflows'),
        interceptors: { ...tracing.interceptors, workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
      };
  const workers = await Promise.all(
    queues.map(({ kind, slots }) =>
      Worker.create({
        connection,
        namespace: options.namespace,
        taskQueue: taskQueues[kind],
        activities,
        ...workflows,
        sinks: tracing.sinks,
        maxConcurrentActivityTaskExecutions: slots,
      }),
    ),
  );
  const group = new WorkerGroup(workers);
  // The outbox relay lives and dies with the worker: it starts when the worker runs and is stopped before
  // run() resolves, so callers that close the connection and the database after run() need not know of it.
  // With tracing on, the relay's workflow starts and wake-ups (signal-with-start) are spans of the relay's trace
  // (and their context rides in the workflow's headers).
  const client = new Client({ connection, namespace: options.namespace, interceptors: temporalClientInterceptors() });
  const webhookDispatch = createWebhookDispatch(options.db, client, taskQueues.webhooks, webhooks);
  const relay = new OutboxRelay(
    options.db,
    { byType: createCommandDispatchers(client, taskQueues), fallback: webhookDispatch.dispatcher },
    webhooks.relayIntervalMs,
    webhookDispatch.sweep,
  );
  const run = group.run.bind(group);
  group.run = async () => {
    relay.start();
    try {
      if (options.retentionSchedule !== false)
        await ensureRetentionSchedule(client, taskQueues.bulk, retention, options.workflowIdPrefix ?? '');
      return await run();
    } finally {
      await relay.stop();
    }
  };
  return { worker: group, connection };
}
