import { Engine, type RuleResult } from 'json-rules-engine';
import { addExtraOperators } from './operators';
import { resolveRulePath } from './path-resolver';
import type { RuleFacts } from './facts';
import type { DecisionVerdict, FailedCondition } from '../domain/redemption-decision';

/** The verdict is the decision's input: one shape, defined beside the decision. */
export type RuleVerdict<R> = DecisionVerdict<R>;

/** The first leaf condition that evaluated false (json-rules-engine stops an `all` at its first failure). */
function firstFailure(node: Record<string, unknown>, rule: string): FailedCondition | null {
  for (const group of ['all', 'any'] as const) {
    if (Array.isArray(node[group])) {
      for (const child of node[group] as Array<Record<string, unknown>>) {
        if (child.result === false) {
          const found = firstFailure(child, rule);
          if (found) return found;
        }
      }
      return null;
    }
  }
  if (node.not)
    return firstFailure(node.not as Record<string, unknown>, rule) ?? { rule, fact: 'not', operator: 'not', value: null, factValue: null };
  if (node.fact === undefined) return null;
  return {
    rule,
    fact: node.fact as string,
    path: node.path as string | undefined,
    operator: node.operator as string,
    value: node.value,
    factValue: node.factResult,
  };
}

/** A rule set compiled once (the engine and its rules built), evaluated many times. */
export type CompiledRules<R> = (facts: RuleFacts) => Promise<RuleVerdict<R>>;

/**
 * Builds the engine for a campaign's ordered rules: the first rule whose conditions hold wins. When none holds,
 * the verdict says for each rule which condition failed and with what fact value. Runs share the engine: each
 * `run` keeps its facts and results in its own almanac.
 */
export function compileRules<R extends { name: string; conditions?: unknown }>(rules: R[]): CompiledRules<R> {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveRulePath });
  addExtraOperators(engine);
  rules.forEach((rule, index) =>
    engine.addRule({
      name: String(index),
      priority: 1,
      conditions: rule.conditions as never,
      event: { type: 'matched', params: { index } },
    }),
  );
  return async (facts) => {
    const { results, failureResults } = await engine.run(facts as unknown as Record<string, unknown>);
    const passing = results.map((r: RuleResult) => Number(r.name)).sort((a, b) => a - b);
    if (passing.length > 0) return { passed: true, rule: rules[passing[0]], index: passing[0] };
    const failed = failureResults
      .sort((a: RuleResult, b: RuleResult) => Number(a.name) - Number(b.name))
      .map((r: RuleResult) => firstFailure(r.conditions as unknown as Record<string, unknown>, rules[Number(r.name)].name))
      .filter((f): f is FailedCondition => f !== null);
    return { passed: false, failed };
  };
}

/** Evaluates a rule set once (save-time checks, eligibility); hot paths keep a compiled one (rules/rule-cache.ts). */
export function evaluateRules<R extends { name: string; conditions?: unknown }>(rules: R[], facts: RuleFacts): Promise<RuleVerdict<R>> {
  return compileRules(rules)(facts);
}
