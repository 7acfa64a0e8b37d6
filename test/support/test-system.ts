import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import request from 'supertest';
import type { Client } from '@temporalio/client';
import { Database } from '../../db/database';
import { apiDatabaseLimits, loadConfig, workerDatabaseLimits, type Config } from '../../runtime/config';
import { connectTemporalClient } from '../../runtime/temporal-client';
import { createWorker, type WorkerGroup } from '../../worker/create-worker';
import { createApp } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import type { Role } from '../../model/roles';
import type { ActivityFaults } from '../../activities';
import type { ServiceFaults } from '../../services/context';
import { stopReplayThread } from '../../services/replay-pool';

export const KEYS: Record<Role, string> = {
  admin: 'test-admin-key-0001',
  marketer: 'test-marketer-key-0001',
  operator: 'test-operator-key-0001',
  producer: 'test-producer-key-0001',
};

/** A second producer (another shop's backend): event ids are unique per producer. */
export const SECOND_PRODUCER_KEY = 'test-producer-key-0002';

export interface TestSystem {
  api: ReturnType<typeof request>;
  /** The express app itself, for tests that need a real listening server (e.g. many concurrent calls). */
  app: ReturnType<typeof createApp>;
  db: Database;
  temporal: Client;
  config: Config;
  /** The in-process worker (undefined with inProcessWorker: false). */
  worker: WorkerGroup;
  databaseUrl: string;
  /** Authorization header for a role. */
  as(role: Role): { Authorization: string };
  stop(): Promise<void>;
}

/** `url` on another database of the shared server (same user and password). */
function onDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/**
 * A fresh database cloned from the migrated template (its tables keep their grants); the URL connects as the
 * application role, as the API and the workers do. The shared PostgreSQL server is started by global setup.
 */
export async function createTestDatabase(): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new PgClient({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template loyalty_template`);
  } finally {
    await admin.end();
  }
  return onDatabase(process.env.TEST_PG_APP_URL!, name);
}

/** The same database as the superuser: for a test's own tables and triggers, which the app role can't create. */
export const asDatabaseAdmin = (databaseUrl: string) => onDatabase(process.env.TEST_PG_ADMIN_URL!, new URL(databaseUrl).pathname.slice(1));

/**
 * The whole system in the test process: its own database and task queue, a real worker, the real API
 * (reached over HTTP by supertest), all against the shared real PostgreSQL and Temporal servers.
 */
export interface TestSystemOptions {
  env?: Record<string, string>;
  faults?: ActivityFaults & ServiceFaults;
  /** false: no worker in the test process (crash tests run the worker as a child process they can kill). */
  inProcessWorker?: boolean;
  /** Create the retention Schedule (only the retention test does; the others would leave one per file behind). */
  retentionSchedule?: boolean;
  /** A Temporal server of the test's own (restart tests); default: the shared one. */
  temporalAddress?: string;
  /** The clock POST /v1/events decides by (see AppContext.clock); default: the real one. */
  clock?: () => Date;
  /** A migrated database of the test's own (on a server it may stall); default: a fresh clone on the shared server. */
  databaseUrl?: string;
}

export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const queue = `test-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    CODE_CHUNK_SIZE: '5000',
    ...options.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: queue,
    SECRETS_KEY: process.env.SECRETS_KEY!,
    // Test files share one namespace and reuse campaign ids: each file's campaign workflows are its own.
    TEMPORAL_WORKFLOW_ID_PREFIX: `${queue}-`,
  });
  // The API (whose Database the test's fixtures share) and the worker wait on PostgreSQL as in production.
  const db = new Database(databaseUrl, apiDatabaseLimits(config));
  const workerDb = new Database(databaseUrl, workerDatabaseLimits(config));
  const temporal = await connectTemporalClient(config.temporalAddress!, config.temporalNamespace);
  const inProcess =
    options.inProcessWorker === false
      ? null
      : await createWorker({
          temporalAddress: config.temporalAddress!,
          namespace: config.temporalNamespace,
          taskQueue: config.taskQueue,
          db: workerDb,
          workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
          faults: options.faults,
          webhooks: config.webhooks,
          queues: config.workerQueues,
          retention: config.retention,
          retentionSchedule: options.retentionSchedule ?? false,
          workflowIdPrefix: config.workflowIdPrefix,
        });
  const running = inProcess?.worker.run();
  const apiKeys = [...Object.entries(KEYS), ['producer', SECOND_PRODUCER_KEY]].map(([role, key]) => `${role}:${key}`).join(',');
  const app = createApp({ db, temporal, config, faults: options.faults, clock: options.clock }, parseApiKeys(apiKeys));
  return {
    api: request(app),
    app,
    db,
    temporal,
    config,
    worker: inProcess?.worker as WorkerGroup,
    databaseUrl,
    as: (role) => ({ Authorization: `Bearer ${KEYS[role]}` }),
    async stop() {
      inProcess?.worker.shutdown();
      await running;
      await inProcess?.connection.close();
      await temporal.connection.close();
      await Promise.all([db.close(), workerDb.close()]);
      await stopReplayThread();
    },
  };
}

/** Polls until `check` returns a value, or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
