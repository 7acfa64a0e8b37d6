import { Engine } from 'json-rules-engine';
import { FACTS } from './facts';
import { addExtraOperators, KNOWN_OPERATORS } from './operators';

export class RuleSetError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 8;
const MAX_CONDITIONS = 200;

/**
 * Checks a rule's conditions at save time, so a campaign never fails at redemption time: only all/any/not
 * nesting (bounded depth and size), known facts and operators, JSONPath paths, array values where an operator
 * wants one. Then json-rules-engine itself must accept the rule.
 */
export function validateConditions(conditions: unknown, field: string): void {
  let count = 0;
  const walk = (node: unknown, at: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw new RuleSetError(`conditions nest deeper than ${MAX_DEPTH} levels`, at);
    if (++count > MAX_CONDITIONS) throw new RuleSetError(`a rule may hold at most ${MAX_CONDITIONS} conditions`, at);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new RuleSetError('a condition must be an object', at);
    const keys = Object.keys(node);
    const n = node as Record<string, unknown>;
    for (const group of ['all', 'any'] as const) {
      if (group in n) {
        if (keys.some((k) => k !== group && k !== 'name')) throw new RuleSetError(`"${group}" can't be combined with other keys`, at);
        if (!Array.isArray(n[group]) || (n[group] as unknown[]).length === 0)
          throw new RuleSetError(`"${group}" must be a non-empty array`, `${at}.${group}`);
        (n[group] as unknown[]).forEach((child, i) => walk(child, `${at}.${group}.${i}`, depth + 1));
        return;
      }
    }
    if ('not' in n) {
      if (keys.some((k) => k !== 'not' && k !== 'name')) throw new RuleSetError('"not" can\'t be combined with other keys', at);
      return walk(n.not, `${at}.not`, depth + 1);
    }
    const allowed = ['fact', 'operator', 'value', 'path', 'name'];
    const unknown = keys.find((k) => !allowed.includes(k));
    if (unknown !== undefined) throw new RuleSetError(`unknown key "${unknown}" in a condition`, `${at}.${unknown}`);
    if (!(FACTS as readonly string[]).includes(n.fact as string)) {
      throw new RuleSetError(`unknown fact ${JSON.stringify(n.fact)}; use one of ${FACTS.join(', ')}`, `${at}.fact`);
    }
    if (!KNOWN_OPERATORS.includes(n.operator as string)) {
      throw new RuleSetError(`unknown operator ${JSON.stringify(n.operator)}; use one of ${KNOWN_OPERATORS.join(', ')}`, `${at}.operator`);
    }
    if (!('value' in n) || (typeof n.value === 'object' && n.value !== null && !Array.isArray(n.value))) {
      throw new RuleSetError('a condition needs a "value" (a string, number, boolean, null or array)', `${at}.value`);
    }
    if (['between', 'containsAllOf', 'containsAnyOf', 'in', 'notIn'].includes(n.operator as string) && !Array.isArray(n.value)) {
      throw new RuleSetError(`operator "${n.operator}" needs an array value`, `${at}.value`);
    }
    if (n.operator === 'between' && (n.value as unknown[]).length !== 2)
      throw new RuleSetError('"between" needs [low, high]', `${at}.value`);
    if (n.path !== undefined && (typeof n.path !== 'string' || !/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(n.path))) {
      throw new RuleSetError('path must look like $.tier or $.attributes.city', `${at}.path`);
    }
  };
  walk(conditions, field, 0);
  if (!('all' in (conditions as object)) && !('any' in (conditions as object)) && !('not' in (conditions as object))) {
    throw new RuleSetError('the top level of conditions must be "all", "any" or "not"', field);
  }
  try {
    const engine = new Engine([], { allowUndefinedFacts: true });
    addExtraOperators(engine);
    engine.addRule({ conditions: conditions as never, event: { type: 'check' } });
  } catch (error) {
    throw new RuleSetError(`json-rules-engine refused the conditions: ${(error as Error).message}`, field);
  }
}
