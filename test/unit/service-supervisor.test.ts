import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceSupervisor, type RunningService } from '../../runtime/service-supervisor';
import type { RestartPolicy } from '../../runtime/restart-policy';

/** A stand-in service: `crash()` ends it as a SIGKILL would; `stop()` ends it as asked. */
function fakeService(pid: number) {
  let end!: (how: string) => void;
  const exited = new Promise<string>((resolve) => (end = resolve));
  const service = {
    pid,
    exited,
    stopped: false,
    crash: () => end('SIGKILL'),
    stop: async () => ((service.stopped = true), end('stopped')),
  };
  return service satisfies RunningService;
}
type Fake = ReturnType<typeof fakeService>;

const policy: RestartPolicy = { tries: 2, firstDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000 };
const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 20_000; // a bound for a broken supervisor, not a speed requirement
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

describe('ServiceSupervisor', () => {
  let logFile: string;
  beforeEach(() => {
    logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-')), 'service.log');
    fs.writeFileSync(logFile, 'an earlier run\n');
  });

  it('restarts a service that crashed and says so, one line per event', async () => {
    const lines: string[] = [];
    const started: Fake[] = [];
    const first = fakeService(1);
    const supervisor = new ServiceSupervisor(first, {
      name: 'PostgreSQL',
      policy,
      logFile,
      report: (line) => lines.push(line),
      start: async () => (started.push(fakeService(started.length + 2)), started.at(-1)!),
    });
    first.crash();
    await until(() => supervisor.service === started[0]);
    expect(lines).toEqual([
      'PostgreSQL crashed (SIGKILL); restarting in 0.1 s (try 1 of 2)',
      expect.stringMatching(/^PostgreSQL restarted \(pid 2\); recovered in [\d.]+ s$/),
    ]);
    await supervisor.stop();
    expect(started[0].stopped).toBe(true);
    expect(started).toHaveLength(1); // stopping is not a crash
  });

  it('gives up after the bounded tries with the last log lines of the failed starts', async () => {
    const lines: string[] = [];
    let gaveUp = '';
    let tries = 0;
    const first = fakeService(1);
    new ServiceSupervisor(first, {
      name: 'PostgreSQL',
      policy,
      logFile,
      report: (line) => lines.push(line),
      onGiveUp: (message) => (gaveUp = message),
      start: async () => {
        fs.appendFileSync(logFile, `FATAL: try ${++tries}\n`);
        throw new Error(`PostgreSQL did not start: try ${tries}\nmore detail`);
      },
    });
    first.crash();
    await until(() => gaveUp !== '');
    expect(tries).toBe(2);
    expect(lines).toEqual([
      'PostgreSQL crashed (SIGKILL); restarting in 0.1 s (try 1 of 2)',
      'PostgreSQL did not start again: PostgreSQL did not start: try 1; restarting in 0.2 s (try 2 of 2)',
    ]);
    expect(gaveUp).toBe(
      `PostgreSQL did not start again: PostgreSQL did not start: try 2; gave up after 2 restarts in a row: PostgreSQL keeps crashing. ` +
        `Its last log lines (${logFile}):\n    | FATAL: try 2`,
    );
  });

  it('never restarts after stop, even when the crash came first and the restart was still waiting', async () => {
    jest.useFakeTimers();
    try {
      let starts = 0;
      const first = fakeService(1);
      const supervisor = new ServiceSupervisor(first, {
        name: 'the worker',
        policy,
        logFile,
        report: () => undefined,
        start: async () => (starts++, fakeService(9)),
      });
      first.crash();
      await Promise.resolve(); // the supervisor has seen the crash: a restart is waiting for its timer
      await supervisor.stop();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(starts).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
