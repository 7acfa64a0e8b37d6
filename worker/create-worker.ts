import { NativeConnection, Worker } from '@temporalio/worker';
import type { Database } from '../db/database';
import { createActivities, type ActivityFaults } from '../activities';
import { installTemporalRuntime } from '../runtime/temporal-runtime';

export interface WorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** A pre-built workflow bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  faults?: ActivityFaults;
}

export async function createWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  installTemporalRuntime();
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.db, options.faults),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    maxConcurrentActivityTaskExecutions: 8,
  });
  return { worker, connection };
}
