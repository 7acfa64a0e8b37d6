import { jsonDiff, toJson, type Json, type JsonChange } from '../../domain/json-diff';

describe('jsonDiff: the path-based difference the history stores', () => {
  test.each<[string, Json | undefined, Json | undefined, JsonChange[]]>([
    ['nothing changed', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, []],
    ['a field changed', { name: 'A', order: 1 }, { name: 'B', order: 1 }, [{ path: 'name', before: 'A', after: 'B' }]],
    ['a field added', { a: 1 }, { a: 1, budget: { cap: 5 } }, [{ path: 'budget', after: { cap: 5 } }]],
    ['a field removed', { a: 1, endsAt: 'x' }, { a: 1 }, [{ path: 'endsAt', before: 'x' }]],
    [
      'a nested leaf',
      { budget: { kind: 'points', cap: 5 } },
      { budget: { kind: 'points', cap: 9 } },
      [{ path: 'budget.cap', before: 5, after: 9 }],
    ],
    [
      'array items by index',
      { rules: [{ name: 'a', points: 1 }] },
      {
        rules: [
          { name: 'a', points: 2 },
          { name: 'b', points: 3 },
        ],
      },
      [
        { path: 'rules.0.points', before: 1, after: 2 },
        { path: 'rules.1', after: { name: 'b', points: 3 } },
      ],
    ],
    ['an array item removed', { tags: ['x', 'y'] }, { tags: ['x'] }, [{ path: 'tags.1', before: 'y' }]],
    ['a type change is one change', { v: { a: 1 } }, { v: [1] }, [{ path: 'v', before: { a: 1 }, after: [1] }]],
    ['null is a value, not absence', { d: null }, { d: 'x' }, [{ path: 'd', before: null, after: 'x' }]],
    ['a create: every field added', undefined, { a: 1 }, [{ path: '', after: { a: 1 } }]],
    ['a delete: the document removed', { a: 1 }, undefined, [{ path: '', before: { a: 1 } }]],
    [
      'keys in sorted order',
      { b: 1, a: 1 },
      { b: 2, a: 2 },
      [
        { path: 'a', before: 1, after: 2 },
        { path: 'b', before: 1, after: 2 },
      ],
    ],
    ['a changed scalar document', 1, 2, [{ path: '', before: 1, after: 2 }]],
  ])('%s', (_why, before, after, expected) => {
    expect(jsonDiff(before, after)).toEqual(expected);
  });

  test('toJson stores what JSON keeps: dates as ISO text, undefined fields gone', () => {
    expect(toJson({ at: new Date('2026-01-01T00:00:00Z'), gone: undefined, n: 1 })).toEqual({ at: '2026-01-01T00:00:00.000Z', n: 1 });
    expect(toJson(undefined)).toBeUndefined();
  });
});
