import fc from 'fast-check';
import {
  useHostileSystem,
  EXISTING_CAMPAIGN,
  tried,
  count,
  report,
  TABLES,
  fingerprint,
  fail,
  expectRefused,
  expectNo5xx,
  send,
} from '../support/hostile-system';
import { SQL_FRAGMENTS, hostileText, patternBreaker, unknownKey, encode, IMPOSSIBLE_DATES } from '../support/hostile-values';

/* Hostile query strings on the code search and export (helpers and generators: test/support/hostile-*.ts). */

useHostileSystem();

// ---------------------------------------------------------------------------------------------------------------

const SEARCH_PARAMS = ['pool', 'status', 'member', 'batch', 'prefix', 'createdFrom', 'createdTo', 'redeemedFrom', 'redeemedTo'];

interface QueryCase {
  query: string;
  /** True when the query is invalid by construction (else it may also be answered 200). */
  invalid: boolean;
  /** True when a member filter is present: no seeded code has a member, so a 200 must list nothing. */
  memberFilter: boolean;
}

const dateLike = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 19 }),
    fc.integer({ min: 0, max: 39 }),
    fc.option(
      fc.tuple(fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 69 }), fc.constantFrom('', 'Z', '+14:00', '-1200', '+99:99')),
    ),
  )
  .map(
    ([y, m, d, t]) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${t ? `T${String(t[0]).padStart(2, '0')}:${String(t[1]).padStart(2, '0')}${t[2]}` : ''}`,
  );

function queryCases(withPaging: boolean): fc.Arbitrary<QueryCase> {
  const known = withPaging ? [...SEARCH_PARAMS, 'limit', 'cursor'] : SEARCH_PARAMS;
  // A parameter that makes the query invalid by itself.
  const invalidPair: fc.Arbitrary<[string, string]> = fc.oneof(
    fc.tuple(
      unknownKey.filter((k) => k !== '' && !known.includes(k)),
      hostileText,
    ),
    fc.tuple(fc.constantFrom('status', 'batch', 'createdFrom', 'redeemedTo'), patternBreaker),
    fc.tuple(fc.constantFrom(...known), fc.constant('')),
    fc.tuple(fc.constant('member'), fc.string({ minLength: 129, maxLength: 300 })),
    ...(withPaging
      ? [fc.tuple(fc.constant('limit'), fc.constantFrom('0', '-1', '1001', '1.5', 'abc', '1e9', 'NaN', 'Infinity', ' ', "1' OR 1=1"))]
      : []),
  );
  // A parameter that may well be valid: SQL fragments where any text goes, dates of every shape.
  const maybePair: fc.Arbitrary<[string, string]> = fc.oneof(
    fc.tuple(fc.constantFrom('member', 'prefix'), fc.oneof(hostileText, fc.constantFrom(...SQL_FRAGMENTS))),
    fc.tuple(
      fc.constant('pool'),
      fc.oneof(
        fc.constantFrom('bank', 'campaign:', 'reward:', `campaign:${EXISTING_CAMPAIGN}`),
        hostileText.map((s) => `campaign:${s}`),
        hostileText.map((s) => `reward:${s}`),
      ),
    ),
    fc.tuple(
      fc.constantFrom('createdFrom', 'createdTo', 'redeemedFrom', 'redeemedTo'),
      fc.oneof(
        dateLike,
        fc.constantFrom(
          ...IMPOSSIBLE_DATES,
          '2024-02-29',
          '0001-01-01T00:00-1200',
          '9999-12-31T23:59:59.999999+14:00',
          '2026-01-01T24:00',
          '2026-01-01 10:00',
        ),
      ),
    ),
    fc.tuple(fc.constant('status'), fc.constantFrom('unused', 'UNUSED', 'redeemed', 'cancelled')),
    ...(withPaging ? [fc.tuple(fc.constant('cursor'), fc.oneof(fc.base64String({ maxLength: 40 }), hostileText))] : []),
  );
  const encodePair = ([k, v]: [string, string]) => `${encode(k)}=${encode(v)}`;
  return fc.oneof(
    // Something invalid among maybe-valid parameters.
    fc.tuple(fc.array(maybePair, { maxLength: 4 }), invalidPair, fc.nat()).map(([pairs, bad, at]) => {
      const all = [...pairs];
      all.splice(at % (all.length + 1), 0, bad);
      return { query: all.map(encodePair).join('&'), invalid: true, memberFilter: all.some(([k]) => k === 'member') };
    }),
    // The same known parameter twice (status=a&status=b): an array where a string belongs.
    fc
      .tuple(
        fc.constantFrom(...known),
        fc.array(fc.oneof(hostileText, fc.constantFrom('unused', 'bank', '1', 'A')), { minLength: 2, maxLength: 4 }),
      )
      .map(([k, values]) => ({
        query: values.map((v) => encodePair([k, v])).join('&'),
        invalid: true,
        memberFilter: false,
      })),
    // Raw, badly encoded query strings.
    fc
      .constantFrom<[string, boolean]>(
        ['status=%00', true],
        ['prefix=%00', true],
        ['prefix=%E0%A4%A', true],
        ['pool[type]=campaign', true],
        ['pool[]=bank', true],
        ['status[]=unused', true],
        ['__proto__[status]=unused', true],
        ['__proto__=x', true],
        ['constructor=x', true],
        ['member=a&&&member=b', true],
        ['=unused', true],
        ['limit=10&limit=20', true],
        ['member=%00', false],
        ['member=%zz', false],
        ['member=%', false],
        ['&&&', false],
        ['member=%27%20OR%20%271%27=%271', false],
        ['member=x%00%27%20OR%201=1--', false],
      )
      .map(([query, invalid]) => ({ query, invalid, memberFilter: query.startsWith('member=') })),
    // Maybe-valid parameters only: never a 5xx, and a member filter finds nobody's codes.
    fc.uniqueArray(maybePair, { minLength: 1, maxLength: 5, selector: ([k]) => k }).map((pairs) => ({
      query: pairs.map(encodePair).join('&'),
      invalid: false,
      memberFilter: pairs.some(([k]) => k === 'member'),
    })),
  );
}

describe('query strings: GET /v1/codes and /v1/codes/export', () => {
  it.each([
    ['GET /v1/codes', '/v1/codes', true],
    ['GET /v1/codes/export', '/v1/codes/export', false],
  ] as const)('%s never answers a 5xx, refuses invalid queries and leaks nothing', async (endpoint, path, withPaging) => {
    const before = new Map(tried);
    const snapshot = await fingerprint();
    await fc.assert(
      fc.asyncProperty(queryCases(withPaging), async ({ query, invalid, memberFilter }) => {
        count(endpoint);
        const res = await send('get', `${path}?${query}`);
        if (invalid) return expectRefused(res, snapshot, [400]);
        expectNo5xx(res);
        if (res.status >= 400) return expectRefused(res, snapshot, [400]);
        if (res.status !== 200) fail('expected 200 or 400', res);
        if (memberFilter) {
          // No code belongs to a member: an injected "OR true" would list the seeded codes.
          const listed = withPaging ? res.body.codes.length : res.text.trim().split('\n').length - 1;
          if (listed !== 0) fail('a member filter listed codes of no member', res);
        }
        const after = await fingerprint();
        if (TABLES.some((t) => after[t] !== snapshot[t])) fail('a search wrote something', res);
      }),
      // Found by this property: member=%00 and days that don't exist (2026-02-30, year 0) were a 500 on search and
      // broke the export's connection mid-answer.
      {
        numRuns: 150,
        examples: [
          [{ query: 'member=%00', invalid: false, memberFilter: true }],
          [{ query: 'member=x%00%27%20OR%201=1--', invalid: false, memberFilter: true }],
          [{ query: 'createdFrom=2026-02-30', invalid: false, memberFilter: false }],
          [{ query: 'redeemedTo=0000-01-01', invalid: false, memberFilter: false }],
        ],
      },
    );
    report(`query strings ${endpoint}`, [endpoint], before);
  });
});
