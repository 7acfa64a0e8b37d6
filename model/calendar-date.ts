/** True for a day that exists: `Date` would silently roll 2026-02-30 over into March. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0-99 as they are
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `YYYY-MM-DD…` names a real day from year 1 on (PostgreSQL refuses year 0, which JavaScript takes as 1 BC). */
export function startsWithRealDay(s: string): boolean {
  return Number(s.slice(0, 4)) >= 1 && isCalendarDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
}
