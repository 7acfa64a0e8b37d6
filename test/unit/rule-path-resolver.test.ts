import { JSONPath } from 'jsonpath-plus';
import { resolveRulePath } from '../../rules/path-resolver';
import { evaluateRules } from '../../rules/evaluate';

const member = {
  id: 'm-1',
  tier: 'gold',
  segments: ['vip', 'north'],
  tags: [],
  balance: 0,
  enrolledAt: '2026-01-02',
  attributes: { city: 'Lyon', visits: 3, empty: '', none: null, flag: false, nested: { deep: { x: 1 } }, list: [1, 2] },
};

// Every shape a fact value can take under a dotted path, and paths that miss, hit prototypes or go past a leaf.
const paths = [
  '$.id',
  '$.tier',
  '$.segments',
  '$.tags',
  '$.balance',
  '$.attributes',
  '$.attributes.city',
  '$.attributes.visits',
  '$.attributes.empty',
  '$.attributes.none',
  '$.attributes.flag',
  '$.attributes.nested.deep.x',
  '$.attributes.list',
  '$.attributes.missing',
  '$.attributes.missing.deeper',
  '$.attributes.none.deeper',
  '$.attributes.flag.deeper',
  '$.attributes.city.length',
  '$.segments.length',
  '$.attributes.constructor',
  '$.attributes.toString',
  '$.__proto__',
  '$.nope',
];

describe('resolveRulePath (json-rules-engine pathResolver)', () => {
  it.each(paths)('reads %s as jsonpath-plus does', (path) => {
    expect(resolveRulePath(member, path)).toEqual(JSONPath({ path, json: member, wrap: false }));
  });

  it('hands any other path to jsonpath-plus', () => {
    expect(resolveRulePath(member, '$.segments[1]')).toBe('north');
    expect(resolveRulePath(member, "$['tier']")).toBe('gold');
  });

  it('is what the rules read: a condition on a nested attribute decides', async () => {
    const rules = [
      {
        name: 'lyon',
        conditions: { all: [{ fact: 'member', path: '$.attributes.city', operator: 'equal', value: 'Lyon' }] },
      },
    ];
    const facts = { member, event: { name: 'e', attributes: {} }, campaign: { id: 'c', name: 'c' } };
    expect(await evaluateRules(rules, facts as never)).toMatchObject({ passed: true });
    const paris = { ...facts, member: { ...member, attributes: { city: 'Paris' } } };
    expect(await evaluateRules(rules, paris as never)).toMatchObject({
      passed: false,
      failed: [{ rule: 'lyon', path: '$.attributes.city', factValue: 'Paris' }],
    });
  });
});
