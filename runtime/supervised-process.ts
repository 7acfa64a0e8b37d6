import fs from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { projectRoot } from './config';
import { exitOf, stopPid } from './processes';
import { APPLICATION_RESTARTS } from './restart-policy';
import { ServiceSupervisor, type RunningService } from './service-supervisor';
import type { Teardown } from './teardown';

export interface SupervisedOptions {
  /** A production entry point (`worker/index.ts`, `api/server.ts`); it sends a message once it is ready. */
  entry: string;
  name: string;
  env: Record<string, string>;
  /** Its stdout and stderr are appended here. */
  logFile: string;
  /** Also copy its output to this terminal (LOG_LEVEL set by the user). */
  echo: boolean;
  /** One terminal line per event: it died, it did not come back, it was restarted. */
  report: (line: string) => void;
}

export interface Supervised {
  pid(): number | undefined;
  stop(): Promise<void>;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Runs an entry point as its own process under `npm start` and restarts it when it dies (1 s, doubling up to
 * 30 s while it keeps dying or can't start, e.g. while Temporal is away), so a worker crash is a restart, not an
 * outage of the API. The child runs in its own process group (Ctrl-C reaches it through our orderly shutdown)
 * and exits by itself when we die (its IPC channel closes), so a killed start never leaves one behind.
 */
export async function startSupervised(options: SupervisedOptions, teardown: Teardown): Promise<Supervised> {
  let child: ChildProcess | undefined;
  let supervisor: ServiceSupervisor<RunningService> | undefined = undefined; // once the first start is up
  let stopping = false;
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });

  const launch = () =>
    new Promise<RunningService>((resolve, reject) => {
      const current = fork(path.join(projectRoot, options.entry), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: true,
      });
      child = current;
      for (const stream of [current.stdout!, current.stderr!]) {
        stream.on('data', (chunk: Buffer) => {
          log.write(chunk);
          if (options.echo) process.stdout.write(chunk);
        });
      }
      const exited = exitOf(current);
      const stop = async () => void (current.pid && running(current) && (await stopPid(current.pid, 'SIGTERM', 30_000)));
      current.once('message', () => resolve({ pid: current.pid, exited, stop }));
      void exited.then((how) => reject(new Error(`${options.name} exited during start-up (${how}); see ${options.logFile}`)));
    });

  const handle: Supervised = {
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      const supervised = supervisor?.stop(); // no restart from here on (it says so at once, before it awaits)
      if (child?.pid && running(child)) await stopPid(child.pid, 'SIGTERM', 30_000); // a restart still starting too
      await supervised;
      await new Promise((resolve) => log.end(resolve));
    },
  };
  teardown.add(options.name, () => handle.stop()); // registered before it is ready: an abort mid-start stops it too
  if (stopping) throw new Error(`start-up was interrupted before ${options.name} started`);
  const first = await launch();
  supervisor = new ServiceSupervisor(first, {
    name: options.name,
    policy: APPLICATION_RESTARTS,
    start: launch,
    logFile: options.logFile,
    report: options.report,
  });
  return handle;
}
