import { z } from './zod';

export const FREQUENCY_PERIODS = ['day', 'week', 'month', 'year', 'lifetime'] as const;
export type FrequencyPeriod = (typeof FREQUENCY_PERIODS)[number];

/** Per member: at most `count` redemptions of a campaign per calendar period (UTC). */
export const frequency = z.object({ count: z.number().int().min(1).max(1_000_000), period: z.enum(FREQUENCY_PERIODS) }).strict();

export type Frequency = z.infer<typeof frequency>;
