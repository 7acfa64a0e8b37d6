import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../db/migrate';
import { logger } from './logger';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { APP_ROLE, ensureAppRole, grantAppRole, urlAs } from './app-role';
import { ensureTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type RunningTemporal } from './temporal-dev-server';
import { startTemporalServer, TEMPORAL_SHARDS } from './temporal-server';
import { ensureTemporalServer } from './temporal-server-tools';
import { workflowBundle } from './workflow-bundle';
import { failpoint, Teardown } from './teardown';
import { logSize } from './log-tail';
import { OWNED_SERVICE_RESTARTS } from './restart-policy';
import { ServiceSupervisor, type RunningService } from './service-supervisor';

/**
 * The one start helper behind `npm start`, the integration tests' global setup and the bench: PostgreSQL
 * (embedded, or DATABASE_URL), migrations, Temporal (a dev server, or TEMPORAL_ADDRESS) and the workflow bundle.
 * Every step registers its stop on `teardown` the moment it has started something, so a failure at any step (the
 * caller runs `teardown.run()`) leaves nothing behind.
 */
export interface StackOptions {
  /** Where the cluster, Temporal's SQLite file and the logs live. */
  dataDir: string;
  toolsDir: string;
  databaseName: string;
  /** External PostgreSQL (the database `databaseName` is created on it when missing): no embedded server. */
  databaseUrl?: string;
  /** External Temporal: no dev server. */
  temporalAddress?: string;
  postgresPort: number;
  /** More settings for the embedded PostgreSQL (`name=value`). */
  postgresSettings?: readonly string[];
  temporalPort: number;
  /** The dev server's Web UI port; omitted: headless. */
  temporalUiPort?: number;
  /** Ports the API and the worker will listen on: the dev server keeps its own ports off them. */
  reservedPorts?: number[];
  /** Keep Temporal's state in a SQLite file in the data folder (omitted: in memory, for tests). */
  temporalPersistent: boolean;
  /** `server`: the real Temporal server on this PostgreSQL (its own databases) instead of the dev server. */
  temporalRuntime?: 'dev' | 'server';
  teardown: Teardown;
  /** How migrations are applied (default: in this process; a jest test passes a child process, as its VM can't
   * load node-pg-migrate's ES module). */
  migrate?: (databaseUrl: string) => Promise<void>;
  /** One line per finished step ("Database", "PostgreSQL on port …"). */
  progress?: (step: string, detail: string) => void;
  /**
   * `npm start`: the embedded PostgreSQL and the Temporal server started here are restarted when they die (never
   * in tests, which stop them on purpose). `report` gets one line per event; `onGiveUp` the crash loop's message.
   */
  supervise?: { report: (line: string) => void; onGiveUp: (message: string) => void };
}

export interface Stack {
  /** What the API and the workers connect with: the embedded default's application role, or DATABASE_URL. */
  databaseUrl: string;
  /** The same database as the superuser that migrated it (maintenance: the bench's truncate, vacuum, checkpoint). */
  databaseAdminUrl: string;
  /** The admin URL of the embedded server (tests create one database per file from a template). */
  adminUrl?: string;
  postgresPort?: number;
  temporalAddress: string;
  temporalUi?: string;
  temporalCli?: string;
  workflowBundlePath: string;
  logsDir: string;
}

/**
 * The three first steps run side by side but read in a fixed order: a finished step's line waits for the lines
 * of the steps before it. Lines of a step still under way (the one-off CLI build) print at once.
 */
function inOrder(print: (step: string, detail: string) => void, order: string[]) {
  const done = new Map<string, string[]>();
  let next = 0;
  return (step: string, detail: string, finished = true) => {
    if (!finished) return print(step, detail);
    done.set(step, [...(done.get(step) ?? []), detail]);
    while (next < order.length && done.has(order[next])) {
      for (const line of done.get(order[next])!) print(order[next], line);
      next++;
    }
  };
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Registers the stop of a service this stack started; under `supervise` it is restarted when it dies first. */
async function own<T extends RunningService>(options: StackOptions, name: string, logFile: string, start: () => Promise<T>): Promise<T> {
  const logOffset = logSize(logFile);
  const first = await start();
  if (!options.supervise) {
    options.teardown.add(name, () => first.stop());
    return first;
  }
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  const supervisor = new ServiceSupervisor(
    first,
    { name: label, policy: OWNED_SERVICE_RESTARTS, start, logFile, ...options.supervise },
    logOffset,
  );
  options.teardown.add(name, () => supervisor.stop());
  return first;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const progress = inOrder(options.progress ?? (() => undefined), ['Database', 'Temporal', 'Workflows']);
  const logsDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  failpoint('data');

  // PostgreSQL + migrations, Temporal and the bundle don't depend on each other (but the real Temporal server
  // keeps its state in PostgreSQL): started side by side.
  let postgresReady!: (adminUrl: string) => void;
  let postgresFailed!: (error: unknown) => void;
  const postgres = new Promise<string>((resolve, reject) => ((postgresReady = resolve), (postgresFailed = reject)));
  postgres.catch(() => undefined);
  const database = (async () => {
    const started = Date.now();
    let adminUrl: string | undefined;
    let databaseUrl: string;
    let databaseAdminUrl: string;
    let appRole: string | undefined;
    if (options.databaseUrl) {
      databaseUrl = databaseAdminUrl = options.databaseUrl;
      postgresReady(databaseUrl);
      progress('Database', `PostgreSQL at ${new URL(databaseUrl).host} (DATABASE_URL)`);
    } else {
      const logFile = path.join(logsDir, 'postgres.log');
      const dataDir = path.join(options.dataDir, 'postgres');
      const pg = await own(options, 'PostgreSQL', logFile, () =>
        startEmbeddedPostgres({ dataDir, port: options.postgresPort, logFile, settings: options.postgresSettings }),
      );
      adminUrl = pg.url;
      postgresReady(pg.url);
      databaseAdminUrl = await ensureDatabase(pg.url, options.databaseName);
      // The superuser administers the cluster and migrates; the API and the workers connect as the app role.
      databaseUrl = urlAs(databaseAdminUrl, APP_ROLE, await ensureAppRole(pg.url, dataDir));
      appRole = APP_ROLE;
      const notes = [
        pg.stoppedLeftover ? `stopped the server a previous run left (pid ${pg.stoppedLeftover}) first` : '',
        pg.binariesCopiedTo ? `binaries copied for the postgres OS user to ${pg.binariesCopiedTo}` : '',
      ].filter(Boolean);
      progress('Database', `PostgreSQL on port ${pg.port} (${elapsed(started)})${notes.map((n) => `\n                ${n}`).join('')}`);
    }
    failpoint('database');
    const migrateDatabase = options.migrate ?? ((url: string) => migrate(url, (message) => logger.debug({ migration: message })));
    await migrateDatabase(databaseAdminUrl);
    if (appRole) await grantAppRole(databaseAdminUrl, appRole);
    failpoint('migrate');
    return { adminUrl, databaseUrl, databaseAdminUrl };
  })();
  database.catch(postgresFailed);

  const temporal = (async () => {
    if (options.temporalAddress) {
      progress('Temporal', `${options.temporalAddress} (TEMPORAL_ADDRESS)`);
      failpoint('temporal');
      return { address: options.temporalAddress, ui: undefined, cli: undefined };
    }
    const cli = await ensureTemporalCli(options.toolsDir, (line) => progress('Temporal', line.trim(), false));
    const started = Date.now();
    const logFile = path.join(logsDir, 'temporal.log');
    let start: () => Promise<RunningTemporal>;
    if (options.temporalRuntime === 'server') {
      const tools = await ensureTemporalServer(options.toolsDir, (line) => progress('Temporal', line.trim(), false));
      const postgresAdminUrl = await postgres;
      start = () =>
        startTemporalServer({
          tools,
          cliPath: cli,
          postgresAdminUrl,
          dir: path.join(options.dataDir, 'temporal-server'),
          port: options.temporalPort,
          uiPort: options.temporalUiPort,
          shards: TEMPORAL_SHARDS,
          logFile,
        });
    } else {
      start = () =>
        startTemporalDevServer({
          cliPath: cli,
          dbFile: options.temporalPersistent ? path.join(options.dataDir, 'temporal.sqlite') : undefined,
          port: options.temporalPort,
          uiPort: options.temporalUiPort,
          headless: !options.temporalUiPort,
          logFile,
          pidFile: path.join(options.dataDir, 'temporal.pid'),
          reservedPorts: [...(options.reservedPorts ?? []), options.postgresPort],
        });
    }
    const kind = options.temporalRuntime === 'server' ? `server ${TEMPORAL_SHARDS} shards on PostgreSQL` : 'dev server';
    const server = await own(options, `the Temporal ${kind}`, logFile, start);
    const leftover = server.stoppedLeftover ? `, stopped the one a previous run left (pid ${server.stoppedLeftover}) first` : '';
    progress('Temporal', `${kind} on port ${options.temporalPort} (${elapsed(started)}${leftover})`);
    failpoint('temporal');
    return { address: server.address, ui: server.uiUrl, cli };
  })();

  const bundle = (async () => {
    const started = Date.now();
    const built = await workflowBundle();
    progress(
      'Workflows',
      built.reused ? 'bundle unchanged, reused' : `bundle built (${elapsed(started)}), reused until the workflow code changes`,
    );
    failpoint('bundle');
    return built.path;
  })();

  const [db, tmp, bundlePath] = await Promise.allSettled([database, temporal, bundle]);
  for (const result of [db, tmp, bundlePath]) if (result.status === 'rejected') throw result.reason;
  const value = <T>(r: PromiseSettledResult<T>) => (r as PromiseFulfilledResult<T>).value;
  return {
    databaseUrl: value(db).databaseUrl,
    databaseAdminUrl: value(db).databaseAdminUrl,
    adminUrl: value(db).adminUrl,
    postgresPort: options.databaseUrl ? undefined : options.postgresPort,
    temporalAddress: value(tmp).address,
    temporalUi: value(tmp).ui,
    temporalCli: value(tmp).cli,
    workflowBundlePath: value(bundlePath),
    logsDir,
  };
}
