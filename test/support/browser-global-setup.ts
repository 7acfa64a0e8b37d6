import globalSetup from './global-setup';
import { ensureConsoleBuilt } from '../../scripts/build-console';

/**
 * The browser project shares the integration project's PostgreSQL and Temporal when both run (one jest process:
 * the first setup leaves them in globalThis), and builds the console once, skipped when its sources are unchanged.
 */
export default async function browserGlobalSetup(): Promise<void> {
  if (!(globalThis as Record<string, unknown>).__services) await globalSetup();
  await ensureConsoleBuilt({ log: () => {} });
}
