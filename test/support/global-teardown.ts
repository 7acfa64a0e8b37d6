import fs from 'node:fs';
import type { Teardown } from '../../runtime/teardown';
import { stopPostgres } from './postgres-control';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__services as { teardown: Teardown; root: string } | undefined;
  if (!services) return;
  // Several projects (integration, browser) share these services: the first teardown stops them.
  delete (globalThis as Record<string, unknown>).__services;
  await services.teardown.run();
  // A restart test may have replaced the server the setup started: stop whatever postmaster owns the data folder.
  await stopPostgres();
  fs.rmSync(services.root, { recursive: true, force: true });
}
