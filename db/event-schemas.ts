import type { Queryable } from './database';

export type AttributeType = 'text' | 'number' | 'boolean' | 'date';

export interface EventSchema {
  name: string;
  attributes: Array<{ name: string; type: AttributeType; required?: boolean }>;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `name, attributes, active, created_at as "createdAt", updated_at as "updatedAt"`;

/** Returns null when a schema of that name exists already. */
export async function insertEventSchema(
  db: Queryable,
  schema: Pick<EventSchema, 'name' | 'attributes' | 'active'>,
): Promise<EventSchema | null> {
  const { rows } = await db.query(
    `insert into event_schemas (name, attributes, active) values ($1, $2, $3) on conflict (name) do nothing returning ${COLUMNS}`,
    [schema.name, JSON.stringify(schema.attributes), schema.active],
  );
  return (rows[0] as EventSchema | undefined) ?? null;
}

export async function updateEventSchema(
  db: Queryable,
  name: string,
  changes: Partial<Pick<EventSchema, 'attributes' | 'active'>>,
): Promise<EventSchema | null> {
  const { rows } = await db.query(
    `update event_schemas set attributes = coalesce($2, attributes), active = coalesce($3, active), updated_at = now()
      where name = $1 returning ${COLUMNS}`,
    [name, changes.attributes ? JSON.stringify(changes.attributes) : null, changes.active ?? null],
  );
  return (rows[0] as EventSchema | undefined) ?? null;
}

/** `forUpdate` locks the row until the caller commits (a change reads what it replaces). */
export async function findEventSchema(db: Queryable, name: string, forUpdate = false): Promise<EventSchema | null> {
  const { rows } = await db.query(`select ${COLUMNS} from event_schemas where name = $1 ${forUpdate ? 'for update' : ''}`, [name]);
  return (rows[0] as EventSchema | undefined) ?? null;
}

export async function listEventSchemas(db: Queryable): Promise<EventSchema[]> {
  const { rows } = await db.query(`select ${COLUMNS} from event_schemas order by name`);
  return rows as EventSchema[];
}

/** A schema with a version string that changes with every edit (the redemption read returns the same string). */
export async function findEventSchemaVersion(db: Queryable, name: string): Promise<{ schema: EventSchema; version: string } | null> {
  const { rows } = await db.query(`select ${COLUMNS}, updated_at::text || active::text as version from event_schemas where name = $1`, [
    name,
  ]);
  if (!rows[0]) return null;
  const { version, ...schema } = rows[0] as EventSchema & { version: string };
  return { schema, version };
}
