import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../runtime/config';
import { startStack } from '../runtime/stack';
import { Teardown } from '../runtime/teardown';
import { freePorts } from '../runtime/ports';

export interface BenchServices {
  /** The API and the workers connect as the application role, as under `npm start`. */
  databaseUrl: string;
  /** The superuser on the same database: the bench's own seeding, baselines and maintenance (truncate, vacuum). */
  databaseAdminUrl: string;
  temporalAddress: string;
  workflowBundlePath: string;
  stop(): Promise<void>;
}

/**
 * Fresh PostgreSQL and Temporal dev server (SQLite file, as `npm start` runs it) in a temporary folder, through
 * the same start helper as `npm start`. BENCH_TEMPORAL_IN_MEMORY=1 drops the SQLite file, to see what it costs;
 * `server`: the real Temporal server on that PostgreSQL instead of the dev server.
 */
export async function startBenchServices(temporalRuntime: 'dev' | 'server' = 'dev'): Promise<BenchServices> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-bench-'));
  fs.chmodSync(root, 0o777);
  const teardown = new Teardown();
  const stop = async () => {
    await teardown.run();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const [postgresPort, temporalPort] = await freePorts(2);
    const stack = await startStack({
      dataDir: root,
      toolsDir: loadConfig().toolsDir,
      databaseName: 'bench',
      postgresPort,
      // The redemption section prints where PostgreSQL's time goes per statement (pg_stat_statements, nested
      // statements of apply_redemption included): loaded here, as it can only be loaded at server start.
      postgresSettings: [
        'shared_preload_libraries=pg_stat_statements',
        'pg_stat_statements.track=all',
        'pg_stat_statements.track_planning=on',
        // BENCH_POSTGRES_SETTINGS="a=1 b=2": more server settings, to see what one costs (synchronous_commit=off
        // bounds what group commit could save: no commit waits for its WAL flush at all).
        ...(process.env.BENCH_POSTGRES_SETTINGS?.split(/\s+/).filter(Boolean) ?? []),
      ],
      temporalPort,
      temporalPersistent: !process.env.BENCH_TEMPORAL_IN_MEMORY,
      temporalRuntime,
      teardown,
    });
    return {
      databaseUrl: stack.databaseUrl,
      databaseAdminUrl: stack.databaseAdminUrl,
      temporalAddress: stack.temporalAddress,
      workflowBundlePath: stack.workflowBundlePath,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export { startServiceProcess, type ServiceProcess } from '../runtime/service-process';
