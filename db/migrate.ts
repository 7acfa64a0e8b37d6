import path from 'node:path';
import { logger } from '../runtime/logger';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Applies every pending migration (node-pg-migrate, plain SQL files in db/migrations). */
export async function migrate(databaseUrl: string): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log: (message: string) => logger.debug({ migration: message }),
    verbose: false,
  });
}
