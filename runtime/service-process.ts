import fs from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { projectRoot } from './config';
import { freePort } from './ports';

export interface ServiceProcess {
  pid: number;
  /** A worker's metrics port (WORKER_METRICS_PORT: given, or a free one). */
  metricsPort: number;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown, in-flight work simply stops (crash tests). */
  kill(): Promise<void>;
}

/**
 * A production entry point (`worker/index.ts`, `api/server.ts`) as its own process, so its memory is measured alone.
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). Its output goes to ours, or, given
 * `onStdout`, its standard output (the JSON log lines) goes there instead.
 */
export async function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  onStdout?: (text: string) => void,
): Promise<ServiceProcess> {
  // Several workers on one machine (tests, bench) each need a metrics port of their own.
  const metricsPort = env.WORKER_METRICS_PORT ?? String(await freePort());
  const child: ChildProcess = fork(path.join(projectRoot, entry), [], {
    execArgv: [...nodeArgs, '--import', 'tsx'],
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, WORKER_METRICS_PORT: metricsPort },
    stdio: ['ignore', onStdout ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
  if (onStdout) child.stdout!.setEncoding('utf8').on('data', onStdout);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    metricsPort: Number(metricsPort),
    peakRss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    kill: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
