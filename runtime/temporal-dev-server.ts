import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { assertPortFree, commandLine, exitOf, readPidFile, stopPid } from './processes';
import { freePortOutside } from './ports';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  pid?: number;
  /** Settles when the server process is gone (a supervisor restarts it), with how it ended. */
  exited: Promise<string>;
  /** Set when a dev server left by a crashed run was found through the pid file and stopped first. */
  stoppedLeftover?: number;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  cliPath: string;
  /** SQLite file that keeps workflows across restarts; omitted: in memory (tests). */
  dbFile?: string;
  port: number;
  uiPort?: number;
  headless?: boolean;
  logFile?: string;
  /** Where the server's pid is kept while it runs, so a start after a crash finds and stops the leftover. */
  pidFile?: string;
  /**
   * Ports the rest of the system will listen on (the API, the worker's metrics). The dev server's own HTTP API and
   * metrics ports would otherwise be random free ports, which could be one of these before it is taken.
   */
  reservedPorts?: number[];
}

/** Resolves once something accepts TCP connections on the port, or rejects after the timeout. */
export async function waitForPort(port: number, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the process exited before it opened its port');
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/**
 * Runs `temporal server start-dev` with SQLite file persistence as a child process. The pragmas trade the last
 * few milliseconds of durability of the dev server's own file for latency (WAL, synchronous=NORMAL): the dev
 * server is for development; production uses a Temporal cluster on PostgreSQL (docker-compose.yml).
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--port',
    String(options.port),
    '--ip',
    '127.0.0.1',
    '--log-level',
    'warn',
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
  ];
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.headless || !options.uiPort) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  const taken = [options.port, options.uiPort ?? 0, ...(options.reservedPorts ?? [])];
  const httpPort = await freePortOutside(taken);
  args.push('--http-port', String(httpPort), '--metrics-port', String(await freePortOutside([...taken, httpPort])));
  const stoppedLeftover = options.pidFile ? await stopLeftover(options.pidFile) : undefined;
  await assertPortFree(options.port, 'Temporal', 'TEMPORAL_PORT');
  if (!options.headless && options.uiPort) await assertPortFree(options.uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
  const log = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  // Its own process group: Ctrl-C in the terminal reaches it through our shutdown, after the worker has stopped.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', log, log], detached: true });
  if (typeof log === 'number') fs.closeSync(log);
  let exited = false;
  let spawnError: Error | undefined;
  child.once('error', (error) => ((spawnError = error), (exited = true)));
  child.once('exit', () => (exited = true));
  if (options.pidFile && child.pid) fs.writeFileSync(options.pidFile, `${child.pid}\n`);
  const stop = async () => {
    if (!exited && child.pid) await stopPid(child.pid, 'SIGTERM', 10_000);
    if (options.pidFile && readPidFile(options.pidFile) === child.pid) fs.rmSync(options.pidFile, { force: true });
  };
  try {
    await waitForPort(options.port, 60_000, () => !exited);
  } catch (error) {
    await stop();
    const tail = options.logFile ? fs.readFileSync(options.logFile, 'utf8').trim().split('\n').slice(-3).join('\n') : '';
    throw new Error(
      `the Temporal dev server did not start on port ${options.port}: ${spawnError?.message ?? (tail || (error as Error).message)}`,
      { cause: error },
    );
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.headless || !options.uiPort ? undefined : `http://localhost:${options.uiPort}`,
    process: child,
    pid: child.pid,
    exited: exitOf(child),
    stoppedLeftover,
    stop,
  };
}

async function stopLeftover(pidFile: string): Promise<number | undefined> {
  const pid = readPidFile(pidFile);
  fs.rmSync(pidFile, { force: true });
  if (!pid || !commandLine(pid).includes('start-dev')) return undefined;
  await stopPid(pid, 'SIGTERM', 10_000);
  return pid;
}
