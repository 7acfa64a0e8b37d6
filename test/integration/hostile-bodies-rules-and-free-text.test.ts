import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { anyoneRule } from '../support/campaign-setup';
import { KNOWN_OPERATORS } from '../../rules/operators';
import { FACTS } from '../../rules/facts';
import {
  useHostileSystem,
  tried,
  count,
  report,
  fingerprint,
  fail,
  expectRefused,
  expectNo5xx,
  send,
  sendJson,
} from '../support/hostile-system';
import { SQL_FRAGMENTS, hostileText, patternBreaker, wellFormed, isPlainObject, withRawField } from '../support/hostile-values';

/*
 * Hostile rules JSON in POST /v1/campaigns, and hostile free text where any text goes
 * (helpers and generators: test/support/hostile-*.ts).
 */

useHostileSystem();

// ---------------------------------------------------------------------------------------------------------------

const condition = { fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' };

/** Condition trees json-rules-engine might take but the save-time check must refuse. */
const hostileConditions: fc.Arbitrary<{ what: string; conditions: unknown; statuses?: number[] }> = fc.oneof(
  fc.tuple(fc.integer({ min: 9, max: 60 }), fc.constantFrom('all', 'any', 'not')).map(([depth, group]) => {
    let node: unknown = condition;
    for (let i = 0; i < depth; i++) node = group === 'not' ? { not: node } : { [group]: [node] };
    return { what: `${depth} levels of ${group}`, conditions: node };
  }),
  fc
    .string({ maxLength: 30 })
    .filter((op) => !KNOWN_OPERATORS.includes(op))
    .map((operator) => ({ what: `operator ${operator}`, conditions: { all: [{ ...condition, operator }] } })),
  fc
    .constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'EQUAL', 'equal ', 'regex', 'eval')
    .map((operator) => ({ what: `operator ${operator}`, conditions: { any: [{ ...condition, operator }] } })),
  fc
    .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('constructor', '__proto__', 'Member', 'members', 'process', 'global'))
    .filter((fact) => !(FACTS as readonly string[]).includes(fact))
    .map((fact) => ({ what: `fact ${fact}`, conditions: { all: [{ ...condition, fact }] } })),
  fc
    .integer({ min: 201, max: 10_000 })
    .map((n) => ({ what: `${n} conditions`, conditions: { all: Array(n).fill(condition) }, statuses: [400, 413] })),
  fc.integer({ min: 201, max: 10_000 }).map((n) => ({ what: `${n} non-object conditions`, conditions: { any: Array(n).fill(1) } })),
  fc
    .constantFrom<unknown>(
      { condition: 'x' },
      { all: [{ condition: 'x' }] },
      { any: [{ condition: 'rule' }, condition] },
      { not: { condition: 'x' } },
      { all: [{ condition: { all: [] } }] },
    )
    .map((conditions) => ({ what: 'a condition reference', conditions })),
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => !isPlainObject(v))
    .map((conditions) => ({ what: 'not an object', conditions })),
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => !isPlainObject(v))
    .map((child) => ({ what: 'a non-object condition', conditions: { all: [condition, child] } })),
  fc
    .constantFrom<unknown>(
      {},
      { all: [] },
      { any: [] },
      { all: condition },
      { all: [condition], any: [condition] },
      { not: [condition] },
      { not: condition, fact: 'member' },
      { all: [{ ...condition, value: { $gt: 1 } }] },
      { all: [{ ...condition, path: '$..[?(@.constructor)]' }] },
      { all: [{ ...condition, path: '$.tier; drop table campaigns' }] },
      { all: [{ fact: 'member', operator: 'in', value: 'gold' }] },
      { all: [{ fact: 'member', operator: 'between', value: [1] }] },
      { all: [{ fact: 'member', operator: 'equal' }] },
      { all: [{ ...condition, priority: 1 }] },
      { all: [{ ...condition, params: { x: 1 } }] },
      { fact: 'member', operator: 'equal', value: 1 },
    )
    .map((conditions) => ({ what: `malformed ${JSON.stringify(conditions).slice(0, 60)}`, conditions })),
  fc
    .tuple(hostileText, fc.jsonValue({ maxDepth: 1 }))
    .filter(([k]) => !['fact', 'operator', 'value', 'path', 'name'].includes(k))
    .map(([k, v]) => ({
      what: `condition key ${JSON.stringify(k)}`,
      conditions: JSON.parse(`{"all":[${withRawField(condition, k, JSON.stringify(v))}]}`),
    })),
);

describe('rules JSON in POST /v1/campaigns', () => {
  it('refuses hostile condition trees with 400 naming the rule (413 past the body limit), writing nothing', async () => {
    const endpoint = 'POST /v1/campaigns (rules)';
    const before = new Map(tried);
    const snapshot = await fingerprint();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileConditions, fc.nat({ max: 3 }), async ({ conditions, statuses }, ruleIndex) => {
        count(endpoint);
        const rules = [...Array(ruleIndex).fill(anyoneRule), { name: 'hostile', conditions, effects: [{ type: 'add_points', points: 5 }] }];
        const body = {
          id: `rules-${++n}`,
          name: 'Rules',
          status: 'active',
          trigger: { event: 'code_entered', codeAttribute: 'code' },
          rules,
        };
        const res = await sendJson('post', '/v1/campaigns', JSON.stringify(body));
        await expectRefused(res, snapshot, statuses ?? [400]);
        if (res.status === 400 && !String(res.body.error.field).startsWith(`rules.${ruleIndex}.conditions`))
          fail(`expected the field to name rules.${ruleIndex}.conditions`, res);
      }),
      { numRuns: 200 },
    );
    report('rules JSON', [endpoint], before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// From here on requests may be taken (and write): hostile free text, and CSV files with a valid structure.

/** Free-text fields where a hostile string is a legitimate value: taken as sent, or refused with a 4xx, never a 5xx. */
const FREE_TEXT: Array<{
  name: string;
  method: 'post' | 'put';
  url: (n: number) => string;
  body: (s: string, n: number) => unknown;
  readBack: (res: Response, n: number) => Promise<unknown>;
  expected: (s: string) => unknown;
}> = [
  {
    name: 'POST /v1/campaigns',
    method: 'post',
    url: () => '/v1/campaigns',
    body: (s, n) => ({
      id: `free-${n}`,
      name: s,
      description: s,
      translations: { fr: { name: s } },
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [{ ...anyoneRule, name: s }],
    }),
    readBack: async (_res, n) => {
      const r = (await send('get', `/v1/campaigns/free-${n}`)).body;
      return [r.name, r.description, r.translations.fr.name, r.rules[0].name];
    },
    expected: (s) => [s, s, s, s],
  },
  {
    name: 'POST /v1/rewards',
    method: 'post',
    url: () => '/v1/rewards',
    body: (s, n) => ({
      id: `free-${n}`,
      name: s,
      type: s.slice(0, 64) || 'x',
      pointsCost: 1,
      shortDescription: s,
      confirmationHtml: `<script>${s}</script>`,
      value: s.slice(0, 64),
    }),
    readBack: async (_res, n) => {
      const r = (await send('get', `/v1/rewards/free-${n}`)).body;
      return [r.name, r.shortDescription, r.confirmationHtml];
    },
    expected: (s) => [s, s, `<script>${s}</script>`],
  },
  {
    name: 'POST /v1/rewards?format=legacy',
    method: 'post',
    url: () => '/v1/rewards?format=legacy',
    body: (s, n) => ({
      reward_id: `free-legacy-${n}`,
      reward_name: s,
      reward_type: 'coupon',
      points_to_be_redeemed: '1',
      enduser_reward_short_description: s,
    }),
    readBack: async (_res, n) => {
      const r = (await send('get', `/v1/rewards/free-legacy-${n}`)).body;
      return [r.name, r.shortDescription];
    },
    expected: (s) => [s, s],
  },
  {
    name: 'PUT /v1/members/:id',
    method: 'put',
    url: (n) => `/v1/members/free-${n}`,
    body: (s) => ({
      tier: s.slice(0, 64),
      segments: [s.slice(0, 64)],
      tags: [s.slice(0, 64)],
      attributes: { [`x${s.slice(0, 63)}`]: s, note: s },
    }),
    readBack: async (_res, n) => {
      const r = (await send('get', `/v1/members/free-${n}`)).body;
      return [r.tier, r.segments, r.tags, r.attributes];
    },
    expected: (s) => [s.slice(0, 64), [s.slice(0, 64)], [s.slice(0, 64)], { [`x${s.slice(0, 63)}`]: s, note: s }],
  },
  {
    name: 'POST /v1/events',
    method: 'post',
    url: () => '/v1/events',
    body: (s, n) => ({ id: `free-${n}`, name: 'code_entered', memberId: `free-member-${n}`, attributes: { code: s, store: s } }),
    readBack: async (res) => [res.body.outcome],
    // Nobody's code: rejected (unknown_code, or member_unknown), never redeemed.
    expected: () => ['rejected'],
  },
];

describe('hostile free text', () => {
  it.each(FREE_TEXT.map((e) => [e.name, e] as const))('%s takes it as sent or refuses it with a 4xx, never a 5xx', async (_name, e) => {
    const endpoint = `${e.name} (free text)`;
    const before = new Map(tried);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            hostileText,
            patternBreaker,
            fc.constantFrom(...SQL_FRAGMENTS),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
          )
          .filter((s) => s.trim() !== ''),
        async (s) => {
          count(endpoint);
          n++;
          const snapshot = await fingerprint();
          const res = await sendJson(e.method, e.url(n), JSON.stringify(e.body(s, n)));
          expectNo5xx(res);
          if (res.status >= 400) return expectRefused(res, snapshot);
          const seen = await e.readBack(res, n);
          if (!isDeepStrictEqual(seen, e.expected(wellFormed(s))))
            fail(`stored ${JSON.stringify(seen)} for ${JSON.stringify(e.expected(s))}`, res);
        },
      ),
      // Found by this property: U+0000 (text and jsonb) and a lone surrogate (jsonb) reached PostgreSQL (500).
      { numRuns: 100, examples: [['\u0000'], ['a\u0000b'], ['\ud800'], ['x\udfffy']] },
    );
    report(`free text ${e.name}`, [endpoint], before);
  });
});
