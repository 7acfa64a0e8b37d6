/**
 * SQL for keyset paging on (created_at, id): the time as UTC text with microseconds, so a cursor carries the key
 * at the precision PostgreSQL compares it (a JavaScript Date would round it to milliseconds and skip the rows of
 * the same millisecond after the last one shown). `$n::timestamptz` reads the text back exactly.
 */
export const fullPrecisionTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A row as a list query answers it: the record and its position for the next page's cursor. */
export type WithPageKey<T> = T & { pageAt: string };
