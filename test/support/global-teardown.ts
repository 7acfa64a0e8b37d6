import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, any>).__services;
  if (!services) return;
  await services.temporal.stop();
  await services.pg.stop();
  fs.rmSync(services.root, { recursive: true, force: true });
}
