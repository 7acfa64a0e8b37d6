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

it('stops everything when npm itself is SIGKILLed (it can forward nothing then): the start script sees its parent gone', async () => {
  const setup = await startEnv();
  try {
    const started = spawnNpmStart(setup.env);
    await waitForOutput(started, 'Press Ctrl-C to stop.', 240_000);
    process.kill(started.child.pid!, 'SIGKILL');
    await started.exited;
    await waitForOutput(started, 'Stopping...', 10_000); // the start script still writes to our pipe
    let left = await leftovers(setup);
    for (let i = 0; i < 600 && (left.processes.length || left.listening.length); i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await leftovers(setup);
    }
    expect(left).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
