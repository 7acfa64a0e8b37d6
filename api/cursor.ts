import { DomainError } from '../model/errors';
import { z } from '../model/zod';

/**
 * Keyset pagination, one codec and one convention for every list: the query parameter `cursor` takes the
 * response field `nextCursor` of the previous page (null on the last one). The cursor is the key of the last item
 * shown, base64url-encoded so clients treat it as opaque, at full precision: a timestamp key travels as the text
 * PostgreSQL gave (microseconds), never through a JavaScript Date (milliseconds), or rows of the same millisecond
 * would fall between pages. The next page is the items after that key (no OFFSET: page 10,000 is as fast as page 1).
 */
export type CursorKey = string | number | readonly [string, string];

/** A single key as its text; a (time, id) pair as a JSON array. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(typeof key === 'object' ? JSON.stringify(key) : String(key)).toString('base64url');
}

/**
 * The key a cursor carries, read by `readKey` (undefined: not a key); anything else is refused, naming the
 * parameter it came in (`cursor`, or a deprecated name).
 */
export function decodeCursor<K>(cursor: string | undefined, readKey: (text: string) => K | undefined, field = 'cursor'): K | undefined {
  if (cursor === undefined) return undefined;
  const key = readKey(Buffer.from(cursor, 'base64url').toString());
  if (key === undefined) {
    throw new DomainError('invalid', 'invalid_cursor', `${field}: pass the nextCursor of the previous page unchanged`, field);
  }
  return key;
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null: this is the last). */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

/** A position in a list ordered by (created_at, id): the time as PostgreSQL text at full precision. */
export interface TimeAndId {
  at: string;
  id: string;
}

// ISO 8601 in UTC with up to microseconds (what db/keyset.ts writes; milliseconds from older cursors fit too).
const FULL_PRECISION_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

// Only instants PostgreSQL reads back: a day that does not exist (Feb 30) or year 0 would fail the query (a 5xx).
function isRealInstant(at: string): boolean {
  const time = Date.parse(at);
  return (
    FULL_PRECISION_UTC.test(at) &&
    !at.startsWith('0000') &&
    !Number.isNaN(time) &&
    new Date(time).toISOString().slice(0, 19) === at.slice(0, 19)
  );
}

/** Reads a `[time, id]` cursor whose id passes `isId`. */
export const readTimeAndId =
  (isId: (id: string) => boolean) =>
  (text: string): TimeAndId | undefined => {
    let pair: unknown;
    try {
      pair = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [at, id] = pair as unknown[];
    if (typeof at !== 'string' || !isRealInstant(at)) return undefined;
    // NUL is no text PostgreSQL stores: such an id could never be a row's, and would fail the query.
    return typeof id === 'string' && !id.includes('\u0000') && isId(id) ? { at, id } : undefined;
  };

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Reads a cursor holding a whole number (a bigint id, a line number). */
export const readWholeNumber = (text: string): number | undefined => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);

/** The `cursor` query parameter, as every list documents it. */
export const cursorParam = z
  .string()
  .max(400)
  .optional()
  .openapi({ description: '`nextCursor` of the previous page; omit for the first page' });

/** The `nextCursor` response field, as every list documents it. */
export const nextCursorField = z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' });

/** An older name of `cursor` that still works for this version. */
export const deprecatedCursorParam = (nextName: string) =>
  z
    .string()
    .max(400)
    .optional()
    .openapi({
      description: `Deprecated old name of \`cursor\` (took \`${nextName}\`), still accepted for this version; use \`cursor\``,
      param: { deprecated: true },
    });

/** An older name of `nextCursor` that is still answered, with the same value, for this version. */
export const deprecatedNextField = () =>
  z
    .string()
    .nullable()
    .openapi({ description: `Deprecated old name of \`nextCursor\` (same value), answered for this version`, deprecated: true });

/**
 * The key of the cursor a request passes, under `cursor` or a deprecated name; both at once is refused (which
 * one was meant is not for the API to guess).
 */
export function decodeRequestedCursor<K>(
  query: { cursor?: string } & Record<string, unknown>,
  deprecatedName: string,
  readKey: (text: string) => K | undefined,
): K | undefined {
  const old = query[deprecatedName] as string | undefined;
  if (query.cursor !== undefined && old !== undefined) {
    throw new DomainError('invalid', 'invalid_cursor', `pass cursor only (${deprecatedName} is its deprecated name)`, deprecatedName);
  }
  return old === undefined ? decodeCursor(query.cursor, readKey) : decodeCursor(old, readKey, deprecatedName);
}
