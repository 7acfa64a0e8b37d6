import { z } from './zod';
import { poolTarget } from './pool';

/** Check characters a generation may append (domain/check-character.ts computes them). */
export const CHECK_CHARACTER_KINDS = ['none', 'luhn', 'damm'] as const;
/** Named alphabets (domain/code-alphabet.ts holds their characters), or `custom` with an alphabet of one's own. */
export const CHARSET_NAMES = ['numeric', 'alpha', 'alphanumeric', 'custom'] as const;

/** What a generation asks for: how many codes, their shape, and the pool they go into. */
export const codeGenerationInput = z
  .object({
    quantity: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'Codes to generate (at most CODE_BATCH_MAX_QUANTITY, 1,000,000 by default)', example: 10000 }),
    length: z
      .number()
      .int()
      .min(1)
      .max(64)
      .openapi({ description: 'Random characters per code; prefix, suffix and check character come on top', example: 10 }),
    charset: z.enum(CHARSET_NAMES),
    alphabet: z.string().min(2).max(36).optional().openapi({
      description:
        'Only with charset "custom" (required there, refused with any other charset): the characters to draw from (A-Z, 0-9, no repeats, case ignored)',
      example: 'ACDEFHJKMNPRTWXY34679',
    }),
    prefix: z.string().max(32).optional().openapi({ example: 'SUMMER-' }),
    suffix: z.string().max(32).optional(),
    excludeLookAlikes: z.boolean().default(false).openapi({ description: 'Drop 0, O, 1, I and L from the alphabet' }),
    checkCharacter: z
      .enum(CHECK_CHARACTER_KINDS)
      .default('none')
      .openapi({ description: 'Append a check character (Luhn mod N or Damm) so a mistyped code is refused before any lookup' }),
    pool: poolTarget.optional(),
    expiresAt: z.string().datetime({ offset: true }).optional().openapi({
      description: 'Every code of the batch expires at this instant: an event then answers `code_expired`, and no reward hands it out',
      example: '2027-01-31T23:59:59Z',
    }),
  })
  .strict()
  .openapi('CreateCodeBatchRequest', {
    description:
      '`alphabet` is required with charset `custom` and refused with any other charset; `damm` is refused for alphabet sizes 2 mod 4 other than 10 (the answer says so)',
    example: {
      quantity: 1000,
      length: 8,
      charset: 'alphanumeric',
      prefix: 'SUMMER-',
      excludeLookAlikes: true,
      checkCharacter: 'damm',
      pool: { type: 'campaign', id: 'summer-2026' },
    },
  });

export type CodeGenerationInput = z.infer<typeof codeGenerationInput>;
