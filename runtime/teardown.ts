import { describeError } from '../model/errors';

/**
 * What start-up has started, stopped in reverse order. A step registers its stop as soon as the thing exists, so
 * a failure (or Ctrl-C) at any later point stops everything started so far and nothing is left running. Once
 * closed, anything registered late (a step that was still under way) is stopped at once.
 */
export class Teardown {
  private readonly stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  private closing?: Promise<void>;

  constructor(private readonly report: (line: string) => void = (line) => console.error(line)) {}

  get closed(): boolean {
    return this.closing !== undefined;
  }

  add(name: string, stop: () => Promise<unknown>): void {
    if (this.closing) {
      void this.stopOne({ name, stop });
      return;
    }
    this.stops.push({ name, stop });
  }

  /** Stops everything registered, newest first; a failing stop is reported and the rest still run. Idempotent. */
  run(): Promise<void> {
    this.closing ??= (async () => {
      while (this.stops.length) await this.stopOne(this.stops.pop()!);
    })();
    return this.closing;
  }

  private async stopOne(entry: { name: string; stop: () => Promise<unknown> }): Promise<void> {
    try {
      await entry.stop();
    } catch (error) {
      this.report(`  could not stop ${entry.name}: ${describeError(error)}`);
    }
  }
}

/** Start-up steps, in order; `LOYALTY_FAIL_AT=<step>` (tests only) fails start-up right after that step. */
export const START_STEPS = ['data', 'database', 'migrate', 'temporal', 'bundle', 'worker', 'api'] as const;
export type StartStep = (typeof START_STEPS)[number];

/** Test-only fault injection: proves a failure after any step leaves nothing running. Never set in production. */
export function failpoint(step: StartStep): void {
  if (process.env.LOYALTY_FAIL_AT === step) throw new Error(`failure injected after the "${step}" step (LOYALTY_FAIL_AT, tests only)`);
}
