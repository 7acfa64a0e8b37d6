import fs from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { projectRoot } from './config';
import { stopPid } from './processes';
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
  /** Told when the process died and is being restarted. */
  onRestart: (line: string) => void;
}

export interface Supervised {
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs an entry point as its own process under `npm start` and restarts it when it dies (1 s, doubling up to
 * 30 s while it keeps dying), so a worker crash is a restart, not an outage of the API. The child runs in its own
 * process group (Ctrl-C reaches it through our orderly shutdown) and exits by itself when we die (its IPC
 * channel closes), so a killed start never leaves one behind.
 */
export async function startSupervised(options: SupervisedOptions, teardown: Teardown): Promise<Supervised> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let backoff = 1000;
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
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
      let ready = false;
      current.once('message', () => ((ready = true), resolve()));
      current.once('error', reject);
      current.once('exit', (code, signal) => {
        if (!ready)
          return reject(new Error(`${options.name} exited during start-up (${signal ?? `exit code ${code}`}); see ${options.logFile}`));
        if (stopping) return;
        if (Date.now() - started > 60_000) backoff = 1000;
        options.onRestart(`${options.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); restarting in ${backoff / 1000} s`);
        setTimeout(() => {
          if (!stopping) launch().catch((error: Error) => options.onRestart(error.message));
        }, backoff).unref();
        backoff = Math.min(backoff * 2, 30_000);
      });
    });

  const handle: Supervised = {
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      if (child?.pid && child.exitCode === null && child.signalCode === null) await stopPid(child.pid, 'SIGTERM', 30_000);
      await new Promise((resolve) => log.end(resolve));
    },
  };
  teardown.add(options.name, () => handle.stop()); // registered before it is ready: an abort mid-start stops it too
  if (stopping) throw new Error(`start-up was interrupted before ${options.name} started`);
  await launch();
  return handle;
}
