import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { ensureDatabase } from './embedded-postgres';
import { assertPortFree, commandLine, exitOf, readPidFile, stopPid } from './processes';
import { waitForPort, type RunningTemporal } from './temporal-dev-server';
import { freePorts } from './ports';
import type { TemporalServerTools } from './temporal-server-tools';

export interface TemporalServerOptions {
  tools: TemporalServerTools;
  cliPath: string;
  /** The PostgreSQL server (admin URL) that gets the `temporal` and `temporal_visibility` databases. */
  postgresAdminUrl: string;
  /** Config, pid files and the UI's config live here. */
  dir: string;
  port: number;
  uiPort?: number;
  /** History shards: fixed for the life of the cluster (Temporal can't change it later). */
  shards: number;
  logFile: string;
}

export const TEMPORAL_SHARDS = 4;

function sql(tools: TemporalServerTools, url: URL, database: string, args: string[]): void {
  const result = spawnSync(
    tools.sqlTool,
    [
      '--plugin',
      'postgres12',
      '--ep',
      url.hostname,
      '-p',
      url.port,
      '-u',
      decodeURIComponent(url.username),
      '--pw',
      decodeURIComponent(url.password),
      '--db',
      database,
      ...args,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(
      `temporal-sql-tool ${args[0]} on ${database} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' ')}`,
    );
}

/** Temporal's own databases on our PostgreSQL, created and brought to the server's schema version (idempotent). */
async function prepareDatabases(tools: TemporalServerTools, adminUrl: string): Promise<void> {
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const url = new URL(await ensureDatabase(adminUrl, database));
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const { rowCount } = await client.query("select 1 from information_schema.tables where table_name = 'schema_version'");
    await client.end();
    if (!rowCount) sql(tools, url, database, ['setup-schema', '-v', '0.0']);
    sql(tools, url, database, ['update-schema', '-d', path.join(tools.schemaDir, schema, 'versioned')]);
  }
}

/** The server's config (JSON is YAML): persistence and visibility on PostgreSQL, `shards` history shards. */
function serverConfig(options: TemporalServerOptions, ports: number[]): object {
  const url = new URL(options.postgresAdminUrl);
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${url.hostname}:${url.port}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const [history, matching, worker, fm, hm, mm, wm, http] = ports;
  const service = (grpcPort: number, membershipPort: number, extra = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: options.shards,
      datastores: { 'postgres-default': store('temporal', 20), 'postgres-visibility': store('temporal_visibility', 4) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(options.port, fm, { httpPort: http }),
      history: service(history, hm),
      matching: service(matching, mm),
      worker: service(worker, wm),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${options.port}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
  };
}

/** The namespace the system uses; the real server, unlike the dev server, starts with none. */
async function ensureNamespace(cliPath: string, address: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = spawnSync(
      cliPath,
      ['operator', 'namespace', 'create', '--namespace', 'default', '--retention', '72h', '--address', address],
      { encoding: 'utf8' },
    );
    const output = `${result.stdout}${result.stderr}`;
    if (result.status === 0 || /already exists|already registered/i.test(output)) return;
    if (Date.now() > deadline) throw new Error(`could not create the default namespace: ${output.trim()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function freeLowPort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function spawnLogged(binary: string, args: string[], cwd: string, logFile: string) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { cwd, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  let exited = false;
  child.once('error', () => (exited = true));
  child.once('exit', () => (exited = true));
  return { child, alive: () => !exited, stop: async () => void (!exited && child.pid && (await stopPid(child.pid, 'SIGTERM', 15_000))) };
}

async function stopLeftover(pidFile: string, marker: string): Promise<number | undefined> {
  const pid = readPidFile(pidFile);
  fs.rmSync(pidFile, { force: true });
  if (!pid || !commandLine(pid).includes(marker)) return undefined;
  await stopPid(pid, 'SIGTERM', 15_000);
  return pid;
}

/**
 * The real Temporal server (all four services in one process, as `temporalio/auto-setup` runs it) on our
 * PostgreSQL, plus the standalone Web UI server when it was built. Same stop/leftover rules as the dev server.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporal> {
  fs.mkdirSync(path.join(options.dir, 'config'), { recursive: true });
  const serverPid = path.join(options.dir, 'server.pid');
  const uiPid = path.join(options.dir, 'ui.pid');
  const stoppedLeftover = (await stopLeftover(serverPid, options.dir)) ?? (await stopLeftover(uiPid, options.dir));
  await assertPortFree(options.port, 'Temporal', 'TEMPORAL_PORT');
  await prepareDatabases(options.tools, options.postgresAdminUrl);
  // Membership ports are stored in a smallint column: they must stay below 32768 (the OS hands out higher ones).
  const [first, second, third, last] = await freePorts(4, [options.port]);
  const ports = [first, second, third];
  for (let i = 0; i < 4; i++) ports.push(await freeLowPort([...ports, last, options.port]));
  ports.push(last);
  fs.writeFileSync(path.join(options.dir, 'config', 'development.yaml'), JSON.stringify(serverConfig(options, ports), null, 2));

  const server = spawnLogged(
    options.tools.server,
    ['--root', options.dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
    options.dir,
    options.logFile,
  );
  fs.writeFileSync(serverPid, `${server.child.pid}\n`);
  const stops = [server.stop];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    fs.rmSync(serverPid, { force: true });
    fs.rmSync(uiPid, { force: true });
  };
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitForPort(options.port, 90_000, server.alive);
    await ensureNamespace(options.cliPath, address);
    let uiUrl: string | undefined;
    if (options.uiPort && options.tools.uiServer) {
      await assertPortFree(options.uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
      const uiConfig = {
        temporalGrpcAddress: address,
        host: '127.0.0.1',
        port: options.uiPort,
        enableUi: true,
        cors: { allowOrigins: [] },
        defaultNamespace: 'default',
      };
      fs.writeFileSync(path.join(options.dir, 'config', 'ui.yaml'), JSON.stringify(uiConfig, null, 2));
      const ui = spawnLogged(
        options.tools.uiServer,
        ['--root', options.dir, '--config', 'config', '--env', 'ui', 'start'],
        options.dir,
        options.logFile,
      );
      fs.writeFileSync(uiPid, `${ui.child.pid}\n`);
      stops.push(ui.stop);
      await waitForPort(options.uiPort, 30_000, ui.alive);
      uiUrl = `http://localhost:${options.uiPort}`;
    }
    return { address, uiUrl, process: server.child, pid: server.child.pid, exited: exitOf(server.child), stoppedLeftover, stop };
  } catch (error) {
    await stop();
    const tail = fs.readFileSync(options.logFile, 'utf8').trim().split('\n').slice(-3).join('\n');
    throw new Error(
      `the Temporal server did not start on port ${options.port}: ${(error as Error).message}\n${tail}\n  (full log: ${options.logFile})`,
      {
        cause: error,
      },
    );
  }
}
