import { zodToJsonSchema } from 'zod-to-json-schema';
import { z } from '../../model/zod';
import { campaignRule } from '../../model/rule';
import { effect } from '../../model/effect';
import { FACTS } from '../../rules/facts';
import { BUILT_IN_OPERATORS, EXTRA_OPERATORS } from '../../rules/operators';

/**
 * The rule language as an editor sees it: the campaign's `rules` field with its `conditions` spelled out (facts,
 * JSONPath paths, operators). The API stores `conditions` as json-rules-engine objects and checks them with
 * rules/validate-rules.ts at save time; this schema gives the console's editor completion and inline errors.
 */
const operators = [...BUILT_IN_OPERATORS, ...Object.keys(EXTRA_OPERATORS)] as [string, ...string[]];

const fact = z
  .object({
    fact: z
      .enum(FACTS)
      .describe('member (tier, segments, tags, enrolledAt, attributes, balance), event (name, attributes) or campaign (id, name)'),
    path: z
      .string()
      .regex(/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/)
      .optional()
      .describe('JSONPath into the fact, e.g. $.tier or $.attributes.city'),
    operator: z.enum(operators).describe('between, containsAllOf, containsAnyOf, in and notIn take an array value'),
    value: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
    name: z.string().optional(),
  })
  .strict();

type Condition = z.infer<typeof fact> | { all: Condition[] } | { any: Condition[] } | { not: Condition };
const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    fact,
    z.object({ all: z.array(condition).min(1), name: z.string().optional() }).strict(),
    z.object({ any: z.array(condition).min(1), name: z.string().optional() }).strict(),
    z.object({ not: condition, name: z.string().optional() }).strict(),
  ]),
);
const topLevel = z.union([
  z.object({ all: z.array(condition).min(1) }).strict(),
  z.object({ any: z.array(condition).min(1) }).strict(),
  z.object({ not: condition }).strict(),
]);

export const editorRules = z
  .array(campaignRule.extend({ conditions: topLevel, effects: z.array(effect).min(1).max(10) }))
  .min(1)
  .max(50);

let cached: object | undefined;
/** JSON Schema (draft-07) of a campaign's `rules` array. */
export function campaignRulesJsonSchema(): object {
  cached ??= { title: 'Campaign rules', ...zodToJsonSchema(editorRules, { target: 'jsonSchema7', $refStrategy: 'root' }) };
  return cached;
}
