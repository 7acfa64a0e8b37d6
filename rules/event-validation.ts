import type { EventSchema } from '../db/event-schemas';
import { isCalendarDate } from '../model/calendar-date';

export type EventAttributes = Record<string, string | number | boolean>;

export type EventValidation = { ok: true; attributes: EventAttributes } | { ok: false; code: string; message: string; field: string };

const MAX_TEXT_LENGTH = 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A zone is required: a date-time without one would be read in the server's local time.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** An ISO date or zoned date-time as the instant's ISO string, so rules compare one format; null if it is none. */
function normaliseDate(value: string): string | null {
  const match = DATE.exec(value) ?? DATE_TIME.exec(value);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const EXPECTED = {
  text: `a string of at most ${MAX_TEXT_LENGTH} characters`,
  number: 'a finite number',
  boolean: 'true or false',
  date: 'an ISO date (YYYY-MM-DD) or date-time with a zone',
} as const;

function coerce(type: keyof typeof EXPECTED, value: unknown): string | number | boolean | null {
  switch (type) {
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT_LENGTH ? value : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? normaliseDate(value) : null;
  }
}

/**
 * Checks an event's attributes against its schema. Whether the schema is active is the caller's decision.
 * A null value counts as absent: producers often send null for "not known" rather than leaving the key out.
 */
export function validateEventAttributes(
  schema: EventSchema,
  attributes: unknown,
  declaredIn = `the "${schema.name}" event schema`,
): EventValidation {
  if (!isPlainObject(attributes)) {
    return { ok: false, code: 'invalid_attributes', message: 'attributes: must be an object', field: 'attributes' };
  }
  const declared = new Map(schema.attributes.map((a) => [a.name, a]));
  for (const name of Object.keys(attributes)) {
    if (!declared.has(name)) {
      return { ok: false, code: 'unknown_attribute', message: `attribute "${name}" is not in ${declaredIn}`, field: `attributes.${name}` };
    }
  }
  const result: EventAttributes = {};
  for (const { name, type, required } of schema.attributes) {
    // Own properties only: "constructor" or "toString" must not be read off Object.prototype.
    const value = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
    if (value === undefined || value === null) {
      if (required)
        return { ok: false, code: 'missing_attribute', message: `attribute "${name}" is required`, field: `attributes.${name}` };
      continue;
    }
    const coerced = coerce(type, value);
    if (coerced === null) {
      return {
        ok: false,
        code: 'wrong_attribute_type',
        message: `attributes.${name}: expected ${EXPECTED[type]}`,
        field: `attributes.${name}`,
      };
    }
    result[name] = coerced;
  }
  return { ok: true, attributes: result };
}
