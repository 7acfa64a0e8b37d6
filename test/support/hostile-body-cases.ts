import fc from 'fast-check';
import { hostileSystem } from './hostile-system';
import {
  IMPOSSIBLE_DATES,
  encode,
  isPlainObject,
  nested,
  patternBreaker,
  setPath,
  unknownKey,
  withRawField,
  wrongValue,
} from './hostile-values';
import type { JsonEndpoint } from './hostile-endpoints';

/* Invalid bodies built from the JSON endpoints' table, hostile member ids and Idempotency-Keys. */

export interface BodyCase {
  what: string;
  body: string;
  /** The only statuses that fit (e.g. 413 for an oversized body). */
  statuses?: number[];
}

/** Counterexamples print as their description, not as 250 KB of body. */
export function described<T extends { what: string }>(value: T): T {
  return Object.assign(value, {
    [fc.toStringMethod]: () =>
      `${value.what}${'body' in value ? ` (${String(value.body).length} bytes: ${String(value.body).slice(0, 200)})` : ''}`,
  });
}

/** Bodies that are invalid by construction for one endpoint. */
export function invalidBodies(e: JsonEndpoint): fc.Arbitrary<BodyCase> {
  const fieldNames = Object.keys(e.fields);
  const known = new Set([...fieldNames, ...(e.ignored ?? [])]);
  const field = fc.constantFrom(...fieldNames);
  const nullable = new Set(e.nullable ?? []);
  const maxBodyBytes = hostileSystem().config.maxBodyBytes;
  return fc
    .oneof<fc.Arbitrary<BodyCase>[]>(
      // Any JSON value but an object: a scalar or null is not JSON the strict parser takes, an array is the wrong type.
      fc
        .jsonValue({ maxDepth: 4 })
        .filter((v) => !isPlainObject(v))
        .map((v) => ({ what: 'not an object', body: JSON.stringify(v) })),
      // A known field with a value of another type.
      field.chain((f) =>
        wrongValue(e.fields[f], nullable.has(f)).map((v) => ({
          what: `wrong type for ${f}`,
          body: withRawField(e.valid, f, JSON.stringify(v)),
        })),
      ),
      // An unknown field (every schema is strict).
      fc
        .tuple(
          unknownKey.filter((k) => !known.has(k)),
          fc.jsonValue({ maxDepth: 2 }).filter((v) => !(e.nullMeansUnset && v === null)),
        )
        .map(([k, v]) => ({ what: `unknown field ${JSON.stringify(k)}`, body: withRawField(e.valid, k, JSON.stringify(v)) })),
      // Deep nesting where a scalar, a flat record or a short list belongs (up to what the body limit lets through).
      fc
        .tuple(
          field,
          fc.oneof(fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 3000, max: 120_000 })),
          fc.boolean(),
          fc.jsonValue({ maxDepth: 0 }),
        )
        .map(([f, depth, asArray, leaf]) => ({
          what: `${f} nested ${depth} deep`,
          body: withRawField(e.valid, f, nested(depth, asArray, leaf)),
          statuses: [400, 413],
        })),
      // A string past the body limit: 413 before any parsing.
      fc
        .tuple(field, fc.integer({ min: 1, max: maxBodyBytes }), fc.constantFrom('x', '\u00e9', '\u0000', "'", '\ud83d\ude42'))
        .map(([f, extra, ch]) => ({
          what: `${f} as a huge string`,
          body: withRawField(e.valid, f, JSON.stringify(ch.repeat(Math.ceil((maxBodyBytes + extra) / Buffer.byteLength(ch))))),
          statuses: [413],
        })),
      // A huge array (still under the body limit) where a scalar, a record or a short list belongs.
      fc
        .tuple(field, fc.integer({ min: 1000, max: e.maxArray ?? 40_000 }), fc.constantFrom('0', '""', '{}', 'null', '[]', '"x"'))
        .map(([f, n, item]) => ({
          what: `${f} as an array of ${n}`,
          body: withRawField(e.valid, f, `[${Array(n).fill(item).join(',')}]`),
          statuses: [400, 413],
        })),
      // Hostile strings (control characters, look-alikes, SQL) where an id, enum, name or date pattern applies.
      fc.tuple(fc.constantFrom(...e.patterned), patternBreaker).map(([path, s]) => ({
        what: `hostile ${path.join('.')}`,
        body: JSON.stringify(setPath(e.valid, path, s)),
      })),
      // Days that don't exist, where a calendar date belongs.
      ...(e.calendarDates
        ? [
            fc.tuple(fc.constantFrom(...e.calendarDates), fc.constantFrom(...IMPOSSIBLE_DATES)).map(([path, date]) => ({
              what: `${path.join('.')} ${date}`,
              body: JSON.stringify(setPath(e.valid, path, date)),
            })),
          ]
        : []),
    )
    .map(described);
}

/** Hostile path ids for PUT /v1/members/:id: the only part of that request with a pattern. */
export const hostileMemberIds = patternBreaker.map((s) => ({
  what: `member id ${JSON.stringify(s)}`,
  body: JSON.stringify({ tier: 'gold' }),
  url: `/v1/members/${encode(s)}`,
}));

/**
 * Sometimes an Idempotency-Key (the middleware reads the body before the route does), sometimes a malformed one.
 * 'fresh' becomes a new key at request time: shrinking replays an input, and a reused key with another body is a 422.
 */
export const idempotencyKey = fc.option(fc.constantFrom('fresh', ' ', 'a b', 'x'.repeat(256), '\u00e9t\u00e9'), { freq: 2 });
