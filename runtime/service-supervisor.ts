import { describeError } from '../model/errors';
import { lastLines, logSize } from './log-tail';
import { failuresAfterCrash, restartDelay, type RestartPolicy } from './restart-policy';

/** Something a supervisor can watch and start again: a running PostgreSQL, Temporal server, worker or API. */
export interface RunningService {
  pid?: number;
  /** Settles when the process is gone, with how it ended ("SIGKILL", "exit code 1"). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface SupervisorOptions<T extends RunningService> {
  /** As the terminal names it: "PostgreSQL", "the worker". */
  name: string;
  policy: RestartPolicy;
  /** Starts it again, on the same data folder and ports; rejects when it does not come up. */
  start: () => Promise<T>;
  /** Its log, for the last lines when it keeps crashing. */
  logFile: string;
  /** One terminal line per event: crashed, did not come back, restarted and recovered. */
  report: (line: string) => void;
  /** The bounded tries are used up; the caller stops everything else. */
  onGiveUp?: (message: string) => void;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const firstLine = (error: unknown) => describeError(error).split('\n')[0];

/**
 * Watches a started service and restarts it when it dies, with the policy's backoff, until the tries in a row
 * are used up: then the service's own last log lines and a clear message go to `onGiveUp`. The first start stays
 * the caller's (a failure then is a start-up failure, not a crash).
 */
export class ServiceSupervisor<T extends RunningService> {
  private current: T;
  private startedAt = Date.now();
  private failures = 0;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  /** Where the log stood when the current (or the last tried) process started. */
  private logOffset: number;

  constructor(
    first: T,
    private readonly options: SupervisorOptions<T>,
    firstLogOffset = 0,
  ) {
    this.current = first;
    this.logOffset = firstLogOffset;
    this.watch(first);
  }

  get service(): T {
    return this.current;
  }

  /** Stops it for good: no restart after this, a restart under way is stopped as soon as it is up. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.restarting;
    await this.current.stop();
  }

  private watch(service: T): void {
    this.current = service;
    this.startedAt = Date.now();
    void service.exited.then((how) => {
      if (this.stopping || this.current !== service) return;
      const crashedAt = Date.now();
      this.failures = failuresAfterCrash(this.options.policy, this.failures, crashedAt - this.startedAt);
      this.schedule(`${this.options.name} crashed (${how})`, crashedAt);
    });
  }

  private schedule(what: string, since: number): void {
    const { name, policy, report } = this.options;
    const delay = restartDelay(policy, this.failures);
    if (delay === null) {
      const tail = lastLines(this.options.logFile, this.logOffset, 10) || lastLines(this.options.logFile, 0, 10);
      const lines = tail ? `. Its last log lines (${this.options.logFile}):\n${tail.replace(/^/gm, '    | ')}` : '';
      this.options.onGiveUp?.(`${what}; gave up after ${policy.tries} restarts in a row: ${name} keeps crashing${lines}`);
      return;
    }
    const of = Number.isFinite(policy.tries) ? ` (try ${this.failures} of ${policy.tries})` : '';
    report(`${what}; restarting in ${seconds(delay)}${of}`);
    this.timer = setTimeout(() => (this.restarting = this.restart(since)), delay);
    this.timer.unref();
  }

  private async restart(since: number): Promise<void> {
    if (this.stopping) return;
    await this.current.stop().catch(() => undefined); // what the dead one left (the real server's UI, a pid file)
    this.logOffset = logSize(this.options.logFile);
    let next: T;
    try {
      next = await this.options.start();
    } catch (error) {
      if (this.stopping) return;
      this.failures++;
      return this.schedule(`${this.options.name} did not start again: ${firstLine(error)}`, since);
    }
    if (this.stopping) return next.stop();
    this.watch(next);
    this.options.report(`${this.options.name} restarted (pid ${next.pid ?? '?'}); recovered in ${seconds(Date.now() - since)}`);
  }
}
