import fs from 'node:fs';
import path from 'node:path';
import { readPidFile } from '../../runtime/processes';
import { killMarked, leftovers, startEnv, startUp } from '../support/start-process';

jest.setTimeout(300_000);

/**
 * A service that crashes at every start (here PostgreSQL, whose config a bad edit broke, then killed) is not
 * restarted forever: after the bounded tries `npm start` names it, prints its own last log lines, stops everything
 * in order and exits non-zero, leaving no process behind.
 */
it('gives up on a PostgreSQL that crashes at every start, with its last log lines, and leaves nothing running', async () => {
  const setup = await startEnv();
  try {
    const started = await startUp(setup.env);
    const dataDir = path.join(setup.dataDir, 'postgres');
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), '\nthis line is not a setting\n');
    process.kill(readPidFile(path.join(dataDir, 'postmaster.pid'))!, 'SIGKILL');

    expect(await started.exited).toBe(1);
    const output = started.output();
    expect(output).toContain('PostgreSQL crashed (SIGKILL); restarting in 0.5 s (try 1 of 5)');
    expect(output).toMatch(/PostgreSQL did not start again: .*; restarting in 8 s \(try 5 of 5\)/);
    expect(output).toContain('gave up after 5 restarts in a row: PostgreSQL keeps crashing. Its last log lines');
    expect(output).toMatch(/\| .*syntax error in file ".*postgresql\.conf"/); // PostgreSQL's own words
    expect(output).toContain('Stopping...');
    expect(output).not.toContain('PostgreSQL restarted');
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
