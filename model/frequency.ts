import { z } from './zod';

export const FREQUENCY_PERIODS = ['day', 'week', 'month', 'year', 'lifetime'] as const;
export type FrequencyPeriod = (typeof FREQUENCY_PERIODS)[number];

/** A rolling window's length: a whole number of minutes, hours or days, at most 366 days ("24h", "7d", "90m"). */
export const FREQUENCY_WINDOW = /^([1-9][0-9]{0,5})(m|h|d)$/;
const WINDOW_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_WINDOW_MS = 366 * 86_400_000;

/** The length of a rolling window in milliseconds (the string is one FREQUENCY_WINDOW accepted). */
export function windowMs(window: string): number {
  const [, n, unit] = FREQUENCY_WINDOW.exec(window)!;
  return Number(n) * WINDOW_UNIT_MS[unit as keyof typeof WINDOW_UNIT_MS];
}

const count = z.number().int().min(1).max(1_000_000);

/** Per member: at most `count` redemptions per calendar period, counted in the campaign's time zone. */
export const calendarFrequency = z
  .object({ count, period: z.enum(FREQUENCY_PERIODS) })
  .strict()
  .openapi('CalendarFrequency', {
    description: "At most `count` per calendar day, week (Monday to Sunday), month or year in the campaign's time zone, or ever",
  });

/** Per member: at most `count` redemptions in any window of this length ending now ("once every 24 hours"). */
export const rollingFrequency = z
  .object({
    count,
    window: z
      .string()
      .regex(FREQUENCY_WINDOW, 'a length such as 90m, 24h or 7d')
      .refine((w) => !FREQUENCY_WINDOW.test(w) || windowMs(w) <= MAX_WINDOW_MS, 'at most 366 days'),
  })
  .strict()
  .openapi('RollingFrequency', { description: 'At most `count` in the last `window` (minutes m, hours h, days d), whatever the calendar' });

export const frequency = z.union([calendarFrequency, rollingFrequency]);

export type Frequency = z.infer<typeof frequency>;
export type CalendarFrequency = z.infer<typeof calendarFrequency>;
export const isRolling = (f: Frequency): f is z.infer<typeof rollingFrequency> => 'window' in f;
