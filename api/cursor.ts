import { DomainError } from '../model/errors';

/**
 * Keyset pagination, one codec for every list: the cursor is the key of the last item shown, base64url-encoded
 * so clients treat it as opaque. The next page is the items after that key (no OFFSET: page 10,000 is as fast
 * as page 1).
 */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key)).toString('base64url');
}

/** The key a cursor carries, read by `readKey` (undefined: not a key); anything else is refused. */
export function decodeCursor<K>(cursor: string | undefined, readKey: (text: string) => K | undefined): K | undefined {
  if (cursor === undefined) return undefined;
  const key = readKey(Buffer.from(cursor, 'base64url').toString());
  if (key === undefined)
    throw new DomainError('invalid', 'invalid_cursor', 'cursor: pass nextCursor from the previous page unchanged', 'cursor');
  return key;
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null: this is the last). */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => string | number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
