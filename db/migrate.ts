import path from 'node:path';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/**
 * Applies every pending migration (node-pg-migrate, plain SQL files in db/migrations). `log` hears each step
 * (the start's debug log); the runtime hands it in, so db/ does not reach up into runtime/.
 */
export async function migrate(databaseUrl: string, log: (message: string) => void = () => {}): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log,
    verbose: false,
  });
}
