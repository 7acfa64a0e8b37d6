import { DateTime } from 'luxon';
import { isRolling, windowMs, type Frequency } from '../model/frequency';

/**
 * Where a member's frequency count starts, for a decision made at `now`: the start of the current calendar
 * period in the campaign's time zone (local midnight, Monday for weeks, the 1st for months, 1 January for years;
 * a day is one day whether it lasts 23, 24 or 25 hours), or `now` minus a rolling window, or null for a lifetime
 * limit. Redemptions at or after it count (for a rolling window: strictly after it). The redemption snapshot computes
 * the same boundary in SQL with PostgreSQL's date_trunc(period, now, zone); a test holds the two to agree.
 */
export function frequencyWindowStart(now: Date, frequency: Frequency, timeZone: string): Date | null {
  if (isRolling(frequency)) return new Date(now.getTime() - windowMs(frequency.window));
  if (frequency.period === 'lifetime') return null;
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf(frequency.period).toJSDate();
}

/** Whether a redemption made at `at` still counts toward the limit for a decision at `now`. */
export function countsToward(at: Date, now: Date, frequency: Frequency, timeZone: string): boolean {
  const start = frequencyWindowStart(now, frequency, timeZone);
  if (start === null) return true;
  return isRolling(frequency) ? at.getTime() > start.getTime() : at.getTime() >= start.getTime();
}

/**
 * Counts redemptions per member as a replay walks recorded events oldest first: `countAt` answers what the
 * snapshot's count would have been at that instant, `record` adds a redemption.
 */
export class FrequencyTally {
  private readonly redeemedAt = new Map<string, Date[]>();

  constructor(
    private readonly frequency: Frequency | null,
    private readonly timeZone: string,
  ) {}

  countAt(memberId: string, now: Date): number {
    if (!this.frequency) return 0;
    const f = this.frequency;
    return (this.redeemedAt.get(memberId) ?? []).filter((at) => at <= now && countsToward(at, now, f, this.timeZone)).length;
  }

  record(memberId: string, at: Date): void {
    const list = this.redeemedAt.get(memberId) ?? [];
    list.push(at);
    this.redeemedAt.set(memberId, list);
  }
}
