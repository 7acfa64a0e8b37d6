/** A JSON value as a change compares it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One difference between two JSON documents: where (dotted path, array items by index, e.g. `rules.0.name`; the
 * empty path is the whole document) and the value on each side. A side without the value leaves its field out:
 * `{ path: 'budget', after: {...} }` is a budget added.
 */
export interface JsonChange {
  path: string;
  before?: Json;
  after?: Json;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => equal(a[k], b[k]));
  }
  return false;
}

function walk(before: Json | undefined, after: Json | undefined, path: string, out: JsonChange[]): void {
  if (equal(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], join(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], join(path, i), out);
    return;
  }
  out.push({ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
}

/**
 * The differences between two JSON documents, leaf by leaf, in a stable order (object keys sorted, array items by
 * index); a value whose type changed, or that exists on one side only, is one change holding it whole. Nothing
 * changed: an empty list. `undefined` stands for "no document" (a create, a delete).
 */
export function jsonDiff(before: Json | undefined, after: Json | undefined): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, '', out);
  return out;
}

/** Turns any value into plain JSON (dates become ISO text, undefined fields go), as it would be stored. */
export const toJson = (value: unknown): Json | undefined => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Json));
