import type { Engine } from 'json-rules-engine';

/** Numbers compare as numbers; anything that parses as a date compares by its instant. */
function comparable(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** The operators json-rules-engine lacks that marketers need (§2), with how their `value` must look. */
export const EXTRA_OPERATORS = {
  /** `value: [low, high]`, both inclusive; numbers or ISO dates. */
  between: (fact: unknown, range: unknown) => {
    if (!Array.isArray(range) || range.length !== 2) return false;
    const [x, low, high] = [comparable(fact), comparable(range[0]), comparable(range[1])];
    return x !== null && low !== null && high !== null && low <= x && x <= high;
  },
  /** The fact (an array, e.g. member tags) holds every one of `value`. */
  containsAllOf: (fact: unknown, wanted: unknown) => Array.isArray(fact) && Array.isArray(wanted) && wanted.every((w) => fact.includes(w)),
  /** The fact (an array) holds at least one of `value`. */
  containsAnyOf: (fact: unknown, wanted: unknown) => Array.isArray(fact) && Array.isArray(wanted) && wanted.some((w) => fact.includes(w)),
} as const;

export const BUILT_IN_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

export const KNOWN_OPERATORS: readonly string[] = [...BUILT_IN_OPERATORS, ...Object.keys(EXTRA_OPERATORS)];

export function addExtraOperators(engine: Engine): void {
  for (const [name, evaluate] of Object.entries(EXTRA_OPERATORS)) engine.addOperator(name, evaluate);
}
