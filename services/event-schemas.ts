import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import { findEventSchema, insertEventSchema, updateEventSchema, type EventSchema } from '../db/event-schemas';
import type { EventSchemaInput, EventSchemaPatch } from '../model/event-schema';

/** What the history shows of a schema: its definition, not its bookkeeping times. */
const historyView = (s: EventSchema) => ({ name: s.name, attributes: s.attributes, active: s.active });

/** Creates a schema with its history row; null when the name is taken (nothing written). */
export function createEventSchema(ctx: AppContext, input: EventSchemaInput, actor: string): Promise<EventSchema | null> {
  return ctx.db.transaction(async (client) => {
    const schema = await insertEventSchema(client, input);
    if (schema)
      await recordChange(client, {
        actor,
        entityType: 'event_schema',
        entityId: schema.name,
        action: 'create',
        after: historyView(schema),
      });
    return schema;
  });
}

/** Changes a schema under its row lock, with its history row; null when there is no such schema. */
export function changeEventSchema(ctx: AppContext, name: string, changes: EventSchemaPatch, actor: string): Promise<EventSchema | null> {
  return ctx.db.transaction(async (client) => {
    const before = await findEventSchema(client, name, true);
    if (!before) return null;
    const after = (await updateEventSchema(client, name, changes))!;
    await recordChange(client, {
      actor,
      entityType: 'event_schema',
      entityId: name,
      action: 'update',
      before: historyView(before),
      after: historyView(after),
    });
    return after;
  });
}
