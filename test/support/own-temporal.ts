import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTemporalDevServer, type RunningTemporal } from '../../runtime/temporal-dev-server';
import { freePort } from '../../runtime/ports';

/** A Temporal dev server of the test file's own, to stop or freeze without touching the shared one. */
export async function startOwnTemporal(folderPrefix: string): Promise<RunningTemporal & { cleanUp(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const temporal = await startTemporalDevServer({
    cliPath: process.env.TEST_TEMPORAL_CLI!,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await freePort(),
    headless: true,
  });
  return Object.assign(temporal, {
    async cleanUp() {
      await temporal.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}
