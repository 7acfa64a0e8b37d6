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
