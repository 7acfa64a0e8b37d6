import { z } from './zod';

/** The types an event attribute may declare (rules/event-validation.ts checks values against them). */
export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const schemaName = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'use 1-64 lower-case letters, digits and _ . -, starting with a letter')
  .openapi({ example: 'purchase' });

const attributeDefinition = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'use 1-64 letters, digits and _, starting with a letter')
      .openapi({ example: 'amount' }),
    type: z.enum(ATTRIBUTE_TYPES),
    required: z.boolean().default(false),
  })
  .strict()
  .openapi('EventAttributeDefinition');

function firstDuplicate(names: string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

const attributeDefinitions = z
  .array(attributeDefinition)
  .min(1)
  .max(50)
  .superRefine((attributes, ctx) => {
    const duplicate = firstDuplicate(attributes.map((a) => a.name));
    // The issue sits on the array itself so the 400 names "attributes", not the attribute's index.
    if (duplicate !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `attribute "${duplicate}" is declared twice` });
  });

/** A custom event's schema: its name and typed attributes. */
export const eventSchemaInput = z
  .object({
    name: schemaName,
    attributes: attributeDefinitions,
    active: z.boolean().default(true).openapi({ description: 'Events are checked against active schemas only' }),
  })
  .strict()
  .openapi('EventSchemaInput', {
    example: {
      name: 'code_entered',
      attributes: [
        { name: 'code', type: 'text', required: true },
        { name: 'store', type: 'text' },
        { name: 'amount', type: 'number' },
      ],
    },
  });

export const eventSchemaPatch = z
  .object({ attributes: attributeDefinitions.optional(), active: z.boolean().optional() })
  .strict()
  .refine((p) => p.attributes !== undefined || p.active !== undefined, 'send attributes, active or both')
  .openapi('EventSchemaPatch', { minProperties: 1, example: { active: true } });

export type EventSchemaInput = z.infer<typeof eventSchemaInput>;
export type EventSchemaPatch = z.infer<typeof eventSchemaPatch>;
