/**
 * How a supervisor under `npm start` restarts what died: after the n-th failure in a row it waits `firstDelayMs`
 * doubled n-1 times (capped at `maxDelayMs`), and gives up once `tries` restarts in a row have failed. A service
 * that ran for `stableAfterMs` before it died starts the count afresh (a crash a day is not a crash loop).
 */
export interface RestartPolicy {
  /** Restarts tried in a row before giving up; Infinity: never give up. */
  tries: number;
  firstDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
}

/**
 * PostgreSQL and Temporal, which `npm start` owns: a crash loop (a corrupt config, a full disk) ends after about
 * 15 s of tries with the service's own log, rather than an API answering 503 forever.
 */
export const OWNED_SERVICE_RESTARTS: RestartPolicy = { tries: 5, firstDelayMs: 500, maxDelayMs: 8000, stableAfterMs: 60_000 };

/**
 * The worker and the API: they never give up, as what they wait for (an external PostgreSQL or Temporal, or one
 * being restarted) may come back at any time.
 */
export const APPLICATION_RESTARTS: RestartPolicy = { tries: Infinity, firstDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** The wait before the restart that follows the `failures`-th failure in a row (1-based); null: give up. */
export function restartDelay(policy: RestartPolicy, failures: number): number | null {
  if (failures > policy.tries) return null;
  return Math.min(policy.firstDelayMs * 2 ** (failures - 1), policy.maxDelayMs);
}

/** The failures in a row once a service that ran for `ranForMs` has died. */
export function failuresAfterCrash(policy: RestartPolicy, failuresSoFar: number, ranForMs: number): number {
  return ranForMs >= policy.stableAfterMs ? 1 : failuresSoFar + 1;
}
