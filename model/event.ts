import { z } from './zod';

/** A custom event as the platform posts it; the one carrying a code redeems it. */
export const postEventRequest = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'use 1-128 letters, digits and _ . : -')
      .openapi({ description: 'Unique per event: the same id twice is one redemption', example: 'pos-42-0001' }),
    name: z.string().min(1).max(64).openapi({ example: 'code_entered' }),
    memberId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'use 1-128 letters, digits and _ . : @ -'),
    attributes: z
      .record(z.unknown())
      .default({})
      .openapi({
        description: "Checked against the event schema's typed attributes",
        example: { code: 'SUMMER-4F7K9QX2', store: 'paris-01' },
      }),
  })
  .strict()
  .openapi('PostEventRequest', {
    example: {
      id: 'pos-42-0001',
      name: 'code_entered',
      memberId: 'shop:10042',
      attributes: { code: 'SUMMER-4F7K9QX2', store: 'paris-01' },
    },
  });

export type IncomingEvent = z.infer<typeof postEventRequest>;
