import { Database } from '../db/database';
import { freePort } from '../runtime/ports';
import { startServiceProcess, type BenchServices, type ServiceProcess } from './services';
import { SecretBox } from '../domain/secret-box';

// An admin key reaches every route the benchmarks drive (generation, imports, exports, events).
export const BENCH_KEY = 'bench-admin-key-0001';

/**
 * What every benchmark gets: the services, the API as its own process (as the application role), and a database
 * handle as the superuser for seeding, baselines and maintenance (truncate, vacuum, checkpoint need more than the
 * application role may do).
 */
export interface BenchContext {
  env: Record<string, string>;
  baseUrl: string;
  headers: Record<string, string>;
  db: Database;
  api: ServiceProcess;
  startWorker(): Promise<ServiceProcess>;
  close(): Promise<void>;
}

/** Where the server's Unix socket is (asked as the superuser: the application role may not read that setting). */
async function socketDirectory(adminUrl: string): Promise<string> {
  const db = new Database(adminUrl);
  try {
    return ((await db.query('show unix_socket_directories')).rows[0].unix_socket_directories as string).split(',')[0].trim();
  } finally {
    await db.close();
  }
}

/** The same database through its Unix socket (when PostgreSQL runs on this machine): no TCP stack on either side. */
function viaUnixSocket(databaseUrl: string, dir: string): string {
  const url = new URL(databaseUrl);
  return `postgres://${url.username}:${url.password}@${encodeURIComponent(dir)}:${url.port}${url.pathname}`;
}

export async function createBenchContext(
  services: BenchServices,
  maxQuantity: number,
  /** More settings for the API process (the observability section turns metrics and tracing on and off). */
  apiEnv: Record<string, string> = {},
): Promise<BenchContext> {
  const port = await freePort();
  // BENCH_DATABASE_SOCKET=1: the API and the baselines reach PostgreSQL through its Unix socket instead of TCP.
  const socket = process.env.BENCH_DATABASE_SOCKET ? await socketDirectory(services.databaseAdminUrl) : undefined;
  const viaSocket = (url: string) => (socket ? viaUnixSocket(url, socket) : url);
  const databaseUrl = viaSocket(services.databaseUrl);
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: 'bench',
    WORKFLOW_BUNDLE_PATH: services.workflowBundlePath,
    CODE_BATCH_MAX_QUANTITY: String(maxQuantity),
    API_KEYS: `admin:${BENCH_KEY}`,
    SECRETS_KEY: process.env.SECRETS_KEY ?? SecretBox.newKey(),
    PORT: String(port),
    // The API logs at warn in the bench unless BENCH_API_LOG_LEVEL says otherwise (info: as `npm start` runs it).
    LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
    ...(process.env.BENCH_API_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_API_POOL_SIZE } : {}),
    ...apiEnv,
  };
  // BENCH_CPU_PROF=<folder>: the API writes a V8 CPU profile there when it stops (read it with bench/profile-top.ts).
  const profileDir = process.env.BENCH_CPU_PROF;
  const api = await startServiceProcess('api/server.ts', env, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const db = new Database(viaSocket(services.databaseAdminUrl));
  return {
    env,
    baseUrl: `http://127.0.0.1:${port}`,
    headers: { Authorization: `Bearer ${BENCH_KEY}` },
    db,
    api,
    startWorker: () => startServiceProcess('worker/index.ts', env),
    async close() {
      await api.stop();
      await db.close();
    },
  };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const count = (n: number) => n.toLocaleString('en');

/** Empties the codes table between measurements so each starts from the same state. */
export async function resetCodes(db: Database): Promise<void> {
  await db.query('truncate codes, code_batch_chunks, code_import_rows, code_import_rejections, code_history');
  await db.query('vacuum analyze codes');
  await db.query('checkpoint');
}

/** Polls a job resource until it leaves pending/running. */
export async function waitForJob(ctx: BenchContext, path: string): Promise<Record<string, unknown>> {
  for (;;) {
    const job = (await (await fetch(`${ctx.baseUrl}${path}`, { headers: ctx.headers })).json()) as Record<string, unknown>;
    if (job.status !== 'pending' && job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The `code_entered` event schema and an active campaign `id` that gives everyone 10 points, for event benches. */
export async function seedBenchCampaign(db: Database, id: string): Promise<void> {
  await db.query(
    `insert into event_schemas (name, attributes) values ('code_entered', '[{"name":"code","type":"text","required":true}]') on conflict do nothing`,
  );
  await db.query(
    `insert into campaigns (id, name, visibility, status, trigger_event, trigger_attribute, rules)
     values ($1, $1, '{"type":"everyone"}', 'active', 'code_entered', 'code',
             '[{"name":"all","conditions":{"all":[{"fact":"member","path":"$.id","operator":"notEqual","value":""}]},"effects":[{"type":"add_points","points":10}]}]')
     on conflict do nothing`,
    [id],
  );
}
