import path from 'node:path';

/** Every setting the system reads from the environment, with its default, in one place. */
export interface Config {
  port: number;
  /** A worker's own metrics port (GET /metrics: ours and the Temporal SDK's). */
  workerMetricsPort: number;
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  apiKeys?: string;
  dataDir: string;
  toolsDir: string;
  embeddedPostgresPort: number;
  temporalPort: number;
  temporalUiPort: number;
  /** Base URL of the Temporal Web UI, for the console's links to workflows (npm start fills it in). */
  temporalUiUrl?: string;
  /** What `npm start` runs when TEMPORAL_ADDRESS is unset: the CLI's dev server, or the real server on PostgreSQL. */
  temporalRuntime: 'dev' | 'server';
  /** Largest quantity one generation request may ask for (§1: 1,000,000 by default). */
  maxBatchQuantity: number;
  /** Codes generated and inserted by one chunk activity (one transaction). */
  chunkSize: number;
  /** Chunk activities a generation workflow runs at once. */
  chunkParallelism: number;
  maxBodyBytes: number;
  /** Largest CSV upload (imports); the file streams to PostgreSQL, so this bounds disk, not memory. */
  maxUploadBytes: number;
  logLevel: string;
  /** Connections the API keeps to PostgreSQL at most (POST /v1/events holds one per event in flight). */
  databasePoolSize: number;
  /** Failed code attempts per member and per API key in the window before answers become 429. */
  lockout: { maxFailures: number; windowSeconds: number };
  webhooks: WebhookConfig;
  /** How often each running campaign's workflow checks its budget and code stock (alerts, top-up). */
  campaignCheckIntervalMs: number;
  /**
   * Put in front of workflow ids chosen from user ids (a campaign's `campaign-<id>`): several deployments, or the
   * test files, sharing one Temporal namespace must not reach each other's campaign workflows.
   */
  workflowIdPrefix: string;
}

/** Outgoing webhooks (README "Webhooks"). The two allow switches are for local development and tests only. */
export interface WebhookConfig {
  allowHttp: boolean;
  allowPrivate: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
  retry: { initialMs: number; maxIntervalMs: number; windowMs: number };
  /** The outbox relay's idle poll interval. */
  relayIntervalMs: number;
}

const projectRoot = path.resolve(__dirname, '..');

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function flag(name: string, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function runtime(raw: string | undefined): 'dev' | 'server' {
  if (raw === undefined || raw === '' || raw === 'dev') return 'dev';
  if (raw === 'server') return 'server';
  throw new Error(`TEMPORAL_RUNTIME must be "dev" (the CLI's dev server) or "server" (the real server on PostgreSQL), got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', 3000, env),
    workerMetricsPort: int('WORKER_METRICS_PORT', 9464, env),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'loyalty-codes',
    apiKeys: env.API_KEYS || undefined,
    dataDir: path.resolve(env.DATA_DIR || path.join(projectRoot, '.data')),
    toolsDir: path.resolve(env.TOOLS_DIR || path.join(projectRoot, '.tools')),
    embeddedPostgresPort: int('EMBEDDED_POSTGRES_PORT', 54329, env),
    temporalPort: int('TEMPORAL_PORT', 7233, env),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233, env),
    temporalUiUrl: env.TEMPORAL_UI_URL || undefined,
    temporalRuntime: runtime(env.TEMPORAL_RUNTIME),
    maxBatchQuantity: int('CODE_BATCH_MAX_QUANTITY', 1_000_000, env),
    chunkSize: int('CODE_CHUNK_SIZE', 50_000, env),
    chunkParallelism: int('CODE_CHUNK_PARALLELISM', 2, env),
    maxBodyBytes: int('MAX_BODY_BYTES', 256 * 1024, env),
    maxUploadBytes: int('MAX_UPLOAD_BYTES', 512 * 1024 * 1024, env),
    logLevel: env.LOG_LEVEL || 'info',
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, env),
    lockout: { maxFailures: int('LOCKOUT_MAX_FAILURES', 5, env), windowSeconds: int('LOCKOUT_WINDOW_SECONDS', 900, env) },
    webhooks: {
      allowHttp: flag('WEBHOOK_ALLOW_HTTP', env),
      allowPrivate: flag('WEBHOOK_ALLOW_PRIVATE_TARGETS', env),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, env),
      maxResponseBytes: int('WEBHOOK_MAX_RESPONSE_BYTES', 64 * 1024, env),
      retry: {
        initialMs: int('WEBHOOK_RETRY_INITIAL_MS', 5_000, env),
        maxIntervalMs: int('WEBHOOK_RETRY_MAX_INTERVAL_MS', 60 * 60 * 1000, env),
        windowMs: int('WEBHOOK_RETRY_WINDOW_MS', 24 * 60 * 60 * 1000, env),
      },
      relayIntervalMs: int('OUTBOX_RELAY_INTERVAL_MS', 200, env),
    },
    campaignCheckIntervalMs: int('CAMPAIGN_CHECK_INTERVAL_MS', 60_000, env),
    workflowIdPrefix: env.TEMPORAL_WORKFLOW_ID_PREFIX || '',
  };
}

export { projectRoot };
