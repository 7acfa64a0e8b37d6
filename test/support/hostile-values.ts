import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------------------
// Generators of hostile material.

/** Characters no id, enum, name or date pattern of the API allows: control characters, look-alikes, quotes. */
export const FORBIDDEN_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\ud800',
  '\udfff',
  '\u0410' /* Cyrillic A */,
  '\u041e' /* Cyrillic O */,
  '\u0399' /* Greek Iota */,
  '\uff21' /* full-width A */,
  '\uff10',
  '\u2102',
  '\ufb01' /* fi ligature */,
  '\u00df',
  '\u0130',
  '\u0131',
  '\ud835\udc00' /* bold A */,
  '\ud83d\ude42',
  "'",
  '"',
  ';',
  '\\',
  '`',
  '<',
  '>',
  '&',
  '{',
  '}',
  '(',
  ')',
  '*',
  '/',
  ' ',
  '=',
  ',',
  '+',
  '#',
  '!',
  '?',
  '[',
  ']',
  '|',
  '^',
  '~',
];
export const SQL_FRAGMENTS = [
  "' OR '1'='1",
  "'; DROP TABLE codes; --",
  '" OR ""="',
  '1; SELECT pg_sleep(10); --',
  "') UNION SELECT * FROM members --",
  '$$; drop table campaigns; $$',
  "E'\\x00'",
  "\\'; --",
  "%' --",
  '*/ select 1 /*',
  "'||(select current_user)||'",
  '\\.',
  '\\N',
  "'; copy codes to program 'id'; --",
  "1' and 1=(select count(*) from pg_sleep(5)) --",
  '%00',
  '%27%20OR%201=1',
];

/** Dates shaped like YYYY-MM-DD (or nearly) that name no day PostgreSQL knows: no year 0, no February 30th. */
export const IMPOSSIBLE_DATES = [
  '0000-01-01',
  '0000-02-29',
  '2026-02-29',
  '2026-02-30',
  '2026-04-31',
  '2026-06-31',
  '2026-13-01',
  '2026-00-01',
  '2026-01-00',
  '2026-01-32',
  '2026-1-01',
  '+2026-01-01',
  '20260-01-01',
  '2026-01-01T00:00:00Z',
];

export const hostileChar = fc.constantFrom(...FORBIDDEN_CHARS);
/** Any hostile text: SQL fragments, control characters, look-alikes, arbitrary code units (lone surrogates too). */
export const hostileText = fc.oneof(
  fc.constantFrom(...SQL_FRAGMENTS),
  fc
    .array(fc.oneof(hostileChar, fc.string({ maxLength: 4 }), fc.constantFrom(...SQL_FRAGMENTS)), { minLength: 1, maxLength: 12 })
    .map((p) => p.join('')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
);
/** Hostile text that surely breaks any id/enum/name/date pattern: it holds at least one forbidden character. */
export const patternBreaker = fc
  .tuple(fc.oneof(fc.constant(''), hostileText), hostileChar, fc.oneof(fc.constant(''), hostileText))
  .map(([a, c, b]) => `${a}${c}${b}`);
/** Keys no endpoint knows, prototype names among them. */
export const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'id ', 'ID', '$where', '0'),
  hostileText,
);
/** encodeURIComponent, or byte-wise percent-encoding where it refuses (lone surrogates: their UTF-8 replacement). */
export function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return Buffer.from(s).toString('hex').replace(/../g, '%$&');
  }
}

/** What UTF-8 can hold of a string: lone surrogates become U+FFFD, as they do on their way to PostgreSQL. */
export const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'legacyBoolean' | 'legacyInteger';
export const FITS: Record<Kind, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  object: isPlainObject,
  array: Array.isArray,
  legacyBoolean: (v) => typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v)),
  legacyInteger: (v) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d+$/.test(v)),
};
/** A JSON value of any type but `kind` (and not null when null is acceptable). */
export const wrongValue = (kind: Kind, nullable: boolean) =>
  fc.jsonValue({ maxDepth: 3 }).filter((v) => !FITS[kind](v) && !(nullable && v === null));

/** Nesting `depth` levels deep, as objects or arrays. */
export function nested(depth: number, asArray: boolean, leaf: unknown): string {
  const open = asArray ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = asArray ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}${JSON.stringify(leaf)}${close}`;
}

/** JSON text of `base` with `key` set to the JSON text `valueJson`: keys such as __proto__ stay own keys. */
export function withRawField(base: Record<string, unknown>, key: string, valueJson: string): string {
  const rest = Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
  const inner = JSON.stringify(rest).slice(1, -1);
  return `{${inner}${inner ? ',' : ''}${JSON.stringify(key)}:${valueJson}}`;
}

/** Sets a nested field (a path of keys and indexes) in a deep copy. */
export function setPath(base: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const source = (base ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string | number, unknown>;
  copy[head] = setPath(source[head], rest, value);
  return copy;
}
