import type { RetrySchedule } from '../model/webhooks';

/** The wait after failed attempt `attempt` (1-based): doubling from `initialMs`, capped at `maxIntervalMs`. */
export function backoffMs(attempt: number, schedule: RetrySchedule): number {
  return Math.min(schedule.maxIntervalMs, schedule.initialMs * 2 ** Math.min(attempt - 1, 40));
}

/** When the next attempt would run, or null when it would fall outside the retry window (give up). */
export function nextAttemptAt(firstAttemptAt: number, now: number, attempt: number, schedule: RetrySchedule): number | null {
  const next = now + backoffMs(attempt, schedule);
  return next - firstAttemptAt > schedule.windowMs ? null : next;
}

/** Without a wake-up, an idle subscription still looks at its deliveries this often (a missed signal costs no more). */
export const IDLE_LOOK_MS = 10 * 60_000;
/** A batch that took nothing although something is due (leased by a batch still running): look again soon. */
export const BUSY_LOOK_MS = 1_000;

/**
 * How long a subscription's workflow waits after a batch: not at all when more is due now, until its next due
 * delivery, or idle (until woken) when none is waiting.
 */
export function waitAfterBatch(nextDueAt: number | null, attempted: number, now: number): number {
  if (nextDueAt === null) return IDLE_LOOK_MS;
  const untilDue = nextDueAt - now;
  if (untilDue > 0) return Math.min(untilDue, IDLE_LOOK_MS);
  return attempted > 0 ? 0 : BUSY_LOOK_MS;
}

/**
 * Batches of one subscription in flight at once while its backlog is bigger than a batch: each leases its own
 * rows (SKIP LOCKED), so they spread over the workers' slots and a second worker adds throughput even to a
 * single subscription. Each holds a webhook activity slot while it runs.
 */
export const PARALLEL_BATCHES = 4;
