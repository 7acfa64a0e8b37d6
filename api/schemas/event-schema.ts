import { z } from '../../model/zod';
import { ATTRIBUTE_TYPES, schemaName } from '../../model/event-schema';

export const eventSchemaNameParam = z.object({ name: schemaName }).strict();

export const eventSchemaView = z
  .object({
    name: z.string(),
    attributes: z.array(z.object({ name: z.string(), type: z.enum(ATTRIBUTE_TYPES), required: z.boolean() })),
    active: z.boolean(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('EventSchema');

export const eventSchemaList = z.object({ eventSchemas: z.array(eventSchemaView) }).openapi('EventSchemaList');
