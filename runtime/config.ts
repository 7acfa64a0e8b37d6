import path from 'node:path';
import { IANAZone } from 'luxon';
import { WORK_KINDS, type WorkKind } from '../model/background-work';

/** Every setting the system reads from the environment, with its default, in one place. */
export interface Config {
  port: number;
  /** A worker's own metrics port (GET /metrics: ours and the Temporal SDK's). */
  workerMetricsPort: number;
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  /** The base task queue name (TEMPORAL_TASK_QUEUE); each kind of work has its own queue derived from it. */
  taskQueue: string;
  /** Where each kind of work runs (README "Task queues"): a slow receiver can't take a generation's slots. */
  taskQueues: TaskQueues;
  /** The queues this worker process polls (WORKER_QUEUES, default all), each with its own activity slots. */
  workerQueues: Array<{ kind: WorkKind; slots: number }>;
  retention: RetentionConfig;
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
  /** How long PostgreSQL may keep a caller waiting (README "Configuration"): see apiDatabaseLimits, workerDatabaseLimits. */
  databaseWaits: DatabaseWaits;
  /** Failed code attempts per member, and the API key's floor and share of failures, before answers become 429. */
  lockout: { maxFailures: number; windowSeconds: number; keyMinFailures: number; keyFailurePercent: number };
  webhooks: WebhookConfig;
  /** How often each running campaign's workflow checks its budget and code stock (alerts, top-up). */
  campaignCheckIntervalMs: number;
  /**
   * Put in front of workflow ids chosen from user ids (a campaign's `campaign-<id>`): several deployments, or the
   * test files, sharing one Temporal namespace must not reach each other's campaign workflows.
   */
  workflowIdPrefix: string;
  /** IANA zone a new campaign counts its days in when it names none (DEFAULT_TIME_ZONE, else UTC). */
  defaultTimeZone: string;
}

export { WORK_KINDS, type WorkKind };
export type TaskQueues = Record<WorkKind, string>;

/** Bulk jobs keep the base name (generation, import and cancel workflows started before the split stay found). */
export function taskQueuesFor(base: string): TaskQueues {
  return { bulk: base, campaigns: `${base}-campaigns`, reservations: `${base}-reservations`, webhooks: `${base}-webhooks` };
}

/** Activity slots per queue in one worker process (WORKER_<KIND>_SLOTS). */
const DEFAULT_SLOTS: Record<WorkKind, number> = { bulk: 4, campaigns: 8, reservations: 8, webhooks: 8 };

/** How long rows that are done are kept (README "Retention"), and the pass that deletes older ones. */
export interface RetentionConfig {
  /** How often the retention Schedule runs. */
  everyMs: number;
  /** Rows one delete statement removes at most (short statements: a redemption never waits behind one). */
  batchSize: number;
  /** Ages in hours: dispatched outbox rows (once no delivery refers to them), finished deliveries, idempotency keys,
   * rejected events of the event log, code history rows (a code's redemption stays), the history (audit log; 0: kept
   * forever, the default). */
  hours: { outbox: number; deliveries: number; idempotencyKeys: number; eventLog: number; codeHistory: number; auditLog: number };
}

function workerQueues(env: NodeJS.ProcessEnv): Array<{ kind: WorkKind; slots: number }> {
  const raw = env.WORKER_QUEUES?.trim();
  const kinds = raw ? raw.split(',').map((k) => k.trim()) : [...WORK_KINDS];
  for (const k of kinds)
    if (!(WORK_KINDS as readonly string[]).includes(k))
      throw new Error(`WORKER_QUEUES: unknown queue "${k}" (known: ${WORK_KINDS.join(', ')})`);
  return [...new Set(kinds as WorkKind[])].map((kind) => ({
    kind,
    slots: int(`WORKER_${kind.toUpperCase()}_SLOTS`, DEFAULT_SLOTS[kind], env),
  }));
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
  /** SECRETS_KEY: the key(s) the signing secrets are sealed with at rest (domain/secret-box.ts). */
  secretsKey?: string;
  /** Deliveries one batch of a subscription sends at once (also its keep-alive connections at most). */
  batchSize: number;
}

/** Bounded waits on PostgreSQL, in milliseconds (0: no limit), so a stalled database answers 503 instead of hanging. */
export interface DatabaseWaits {
  /** Waiting for a pooled or a new connection (DATABASE_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /** statement_timeout of an API request's statements (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementMs: number;
  /** lock_timeout of the API's statements (DATABASE_LOCK_TIMEOUT_MS). */
  lockMs: number;
  /** statement_timeout of uploads and exports, which stream for as long as their client takes (DATABASE_BULK_STATEMENT_TIMEOUT_MS). */
  bulkStatementMs: number;
  /** statement_timeout of a worker's statements, lock waits included (DATABASE_WORKER_STATEMENT_TIMEOUT_MS). */
  workerStatementMs: number;
}

/** The API's pools: requests bounded tightly, uploads and exports by the bulk limit. */
export function apiDatabaseLimits(config: Config) {
  const w = config.databaseWaits;
  return {
    max: config.databasePoolSize,
    connectTimeoutMs: w.connectMs,
    statementTimeoutMs: w.statementMs,
    lockTimeoutMs: w.lockMs,
    bulkStatementTimeoutMs: w.bulkStatementMs,
  };
}

/**
 * A worker's pool: an activity's statements (a 50,000-code chunk, an import chunk, a retention delete) may run as long
 * as the longest activity may (10 minutes); their lock waits are bounded by the same limit.
 */
export function workerDatabaseLimits(config: Config) {
  const w = config.databaseWaits;
  return {
    connectTimeoutMs: w.connectMs,
    statementTimeoutMs: w.workerStatementMs,
    lockTimeoutMs: 0,
    bulkStatementTimeoutMs: w.workerStatementMs,
  };
}

const HOUR = 60 * 60 * 1000;

const projectRoot = path.resolve(__dirname, '..');

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Milliseconds; 0 turns the limit off. */
function millis(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  return env[name] === '0' ? 0 : int(name, fallback, env);
}

function percent(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const value = int(name, fallback, env);
  if (value > 100) throw new Error(`${name} must be a percentage from 1 to 100, got "${value}"`);
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

function zoneName(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'UTC';
  if (!IANAZone.isValidZone(raw)) throw new Error(`DEFAULT_TIME_ZONE must be an IANA time zone name such as Europe/Paris, got "${raw}"`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', 3000, env),
    workerMetricsPort: int('WORKER_METRICS_PORT', 9464, env),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'loyalty-codes',
    taskQueues: taskQueuesFor(env.TEMPORAL_TASK_QUEUE || 'loyalty-codes'),
    workerQueues: workerQueues(env),
    retention: {
      everyMs: int('RETENTION_EVERY_MS', HOUR, env),
      batchSize: int('RETENTION_BATCH_SIZE', 1_000, env),
      hours: {
        outbox: int('RETENTION_OUTBOX_HOURS', 7 * 24, env),
        deliveries: int('RETENTION_DELIVERIES_HOURS', 7 * 24, env),
        idempotencyKeys: int('RETENTION_IDEMPOTENCY_KEYS_HOURS', 24, env),
        eventLog: int('RETENTION_EVENT_LOG_HOURS', 90 * 24, env),
        codeHistory: int('RETENTION_CODE_HISTORY_HOURS', 90 * 24, env),
        auditLog: int('RETENTION_AUDIT_LOG_HOURS', 0, env),
      },
    },
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
    databaseWaits: {
      connectMs: millis('DATABASE_CONNECT_TIMEOUT_MS', 5_000, env),
      statementMs: millis('DATABASE_STATEMENT_TIMEOUT_MS', 5_000, env),
      lockMs: millis('DATABASE_LOCK_TIMEOUT_MS', 3_000, env),
      bulkStatementMs: millis('DATABASE_BULK_STATEMENT_TIMEOUT_MS', HOUR, env),
      workerStatementMs: millis('DATABASE_WORKER_STATEMENT_TIMEOUT_MS', 10 * 60 * 1000, env),
    },
    lockout: {
      maxFailures: int('LOCKOUT_MAX_FAILURES', 5, env),
      windowSeconds: int('LOCKOUT_WINDOW_SECONDS', 900, env),
      keyMinFailures: int('LOCKOUT_KEY_MIN_FAILURES', 100, env),
      keyFailurePercent: percent('LOCKOUT_KEY_FAILURE_PERCENT', 50, env),
    },
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
      secretsKey: env.SECRETS_KEY || undefined,
      batchSize: int('WEBHOOK_BATCH_SIZE', 100, env),
    },
    campaignCheckIntervalMs: int('CAMPAIGN_CHECK_INTERVAL_MS', 60_000, env),
    workflowIdPrefix: env.TEMPORAL_WORKFLOW_ID_PREFIX || '',
    defaultTimeZone: zoneName(env.DEFAULT_TIME_ZONE),
  };
}

export { projectRoot };
