import fs from 'node:fs';
import { killMarked, leftovers, spawnNpmStart, startEnv, waitForOutput } from '../support/start-process';

jest.setTimeout(300_000);

/**
 * A process manager signals `npm start`'s own process, not its group. npm forwards SIGINT and SIGTERM to its
 * child; package.json execs node so no shell (which would swallow them) sits in between: everything stops.
 */
it.each(['SIGTERM', 'SIGINT'] as const)('%s to the npm process alone stops everything, no orphan', async (signal) => {
  const setup = await startEnv();
  try {
    const started = spawnNpmStart(setup.env);
    await waitForOutput(started, 'Press Ctrl-C to stop.', 240_000);
    process.kill(started.child.pid!, signal); // npm alone: not -pid, the group
    await started.exited;
    expect(started.output()).toContain('Stopping...');
    expect(started.output()).not.toContain('could not stop');
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
