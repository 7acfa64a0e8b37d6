import { IANAZone } from 'luxon';
import { z } from './zod';

/** An IANA time zone name (e.g. Europe/Paris, America/Los_Angeles, UTC), as both luxon and PostgreSQL know it. */
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => IANAZone.isValidZone(name), 'an IANA time zone name such as Europe/Paris or UTC')
  .openapi({ example: 'Europe/Paris' });

export type TimeZone = z.infer<typeof timeZone>;
