import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
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
  SQL_FRAGMENTS,
  hostileChar,
  hostileText,
  patternBreaker,
  wellFormed,
  isPlainObject,
  nested,
  withRawField,
  setPath,
  JsonEndpoint,
  JSON_ENDPOINTS,
  BodyCase,
  described,
  invalidBodies,
  hostileMemberIds,
  idempotencyKey,
  send,
  sendJson,
} from '../support/hostile-input';

/* Hostile request bodies: JSON, raw bytes, rules JSON, free text (helpers and generators: test/support/hostile-input.ts). */

useHostileSystem();

describe('JSON bodies: malformed, oversized, wrongly typed, hostile', () => {
  it.each(JSON_ENDPOINTS.map((e) => [e.name, e] as const))(
    '%s refuses every invalid body with a 4xx in the error shape and writes nothing',
    async (_name, e) => {
      const before = new Map(tried);
      const snapshot = await fingerprint();
      await fc.assert(
        fc.asyncProperty(invalidBodies(e), idempotencyKey, async ({ body, statuses }, key) => {
          count(e.name);
          const request = sendJson(e.method, e.url, body);
          if (key !== null) request.set('Idempotency-Key', key === 'fresh' ? `hostile-${randomUUID()}` : key);
          await expectRefused(await request, snapshot, statuses);
        }),
        {
          numRuns: 150,
          examples: [
            // Found by this property: a body nested 100,000 levels deep with an Idempotency-Key overflowed the stack (500).
            [
              described({
                what: 'an array nested 100,000 deep',
                body: withRawField(e.valid, Object.keys(e.fields)[0], nested(100_000, true, 0)),
                statuses: [400, 413],
              }),
              'fresh',
            ],
            // Found by this property: attributes nested 4,104 deep with no key overflowed the event's request hash (500).
            ...Object.entries(e.fields)
              .filter(([, kind]) => kind === 'object')
              .map(
                ([field]) =>
                  [
                    described({ what: `${field} nested 5,000 deep`, body: withRawField(e.valid, field, nested(5_000, false, 0)) }),
                    null,
                  ] as [BodyCase, null],
              ),
            // U+0000 where a pattern applies: refused before it reaches PostgreSQL.
            [described({ what: 'U+0000 in a patterned field', body: JSON.stringify(setPath(e.valid, e.patterned[0], 'x\u0000')) }), null],
            // Found by this property: enrolledAt 0000-01-01 passed the calendar check and PostgreSQL refused it (500).
            ...(e.calendarDates
              ? [
                  [described({ what: 'year 0', body: JSON.stringify(setPath(e.valid, e.calendarDates[0], '0000-01-01')) }), null] as [
                    BodyCase,
                    null,
                  ],
                ]
              : []),
          ],
        },
      );
      if (e.method === 'put') {
        await fc.assert(
          fc.asyncProperty(hostileMemberIds, async ({ body, url }) => {
            count(e.name);
            await expectRefused(await sendJson('put', url, body), snapshot, [400, 404]);
          }),
          { numRuns: 50 },
        );
      }
      report(`JSON bodies ${e.name}`, [e.name], before);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------

/** What body-parser would make of the bytes: a JSON object is a body that might be valid, so it is left out. */
function parsesToObject(bytes: Buffer): boolean {
  try {
    return isPlainObject(JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')));
  } catch {
    return false;
  }
}

/** `sure`: invalid however it parses (an unknown key, a charset or encoding that garbles it). */
interface RawBody {
  what: string;
  body: Buffer;
  contentType?: string;
  encoding?: string;
  sure?: boolean;
}
function rawBodies(e: JsonEndpoint): fc.Arbitrary<RawBody> {
  const valid = JSON.stringify(e.valid);
  const broken = fc.oneof(
    fc.integer({ min: 0, max: valid.length - 1 }).map((n) => valid.slice(0, n)),
    fc
      .tuple(
        fc.integer({ min: 0, max: valid.length }),
        fc.oneof(hostileChar, fc.constantFrom('{', '}', '[', ']', ',', ':', '"', 'NaN', 'Infinity', 'undefined', '/*', '//', "'", '\\')),
      )
      .map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
    fc.integer({ min: 0, max: valid.length - 1 }).map((i) => valid.slice(0, i) + valid.slice(i + 1)),
    fc.constantFrom(
      `${valid.slice(0, -1)},}`,
      valid.replace(/"/g, "'"),
      `${valid}${valid}`,
      `${valid}}`,
      `{${valid}`,
      `${valid} x`,
      valid.replace(/:/, '::'),
      '{',
      '}',
      '',
      '   ',
      'null',
      'true',
      '"str"',
      '1e999999',
    ),
  );
  return fc
    .oneof<fc.Arbitrary<RawBody>[]>(
      fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => ({ what: 'random bytes', body: Buffer.from(b) })),
      broken.map((s) => ({ what: `broken JSON ${JSON.stringify(s.slice(0, 80))}`, body: Buffer.from(s) })),
      // Valid JSON under a charset or encoding that turns it into something else.
      fc
        .constantFrom(
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/json; charset=utf-32',
          'application/json; charset=bogus',
          'application/json; charset=utf-bogus',
          'application/json; charset="utf-16le"',
        )
        .map((contentType) => ({ what: contentType, body: Buffer.from(valid), contentType, sure: true })),
      fc
        .constantFrom('gzip', 'deflate', 'br', 'compress', 'x-bogus', 'gzip, gzip')
        .map((encoding) => ({ what: `Content-Encoding ${encoding}`, body: Buffer.from(valid), encoding, sure: true })),
      // Invalid UTF-8 inside an otherwise valid body.
      fc
        .constantFrom(
          Buffer.from([0xc3, 0x28]),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from([0xff, 0xfe]),
          Buffer.from([0xf4, 0x90, 0x80, 0x80]),
          Buffer.from([0xc0, 0xaf]),
        )
        .map((junk) => ({
          what: 'invalid UTF-8 key',
          body: Buffer.concat([Buffer.from(valid.slice(0, -1) + ',"'), junk, Buffer.from('":1}')]),
          sure: true,
        })),
    )
    .filter(({ body, sure }) => sure === true || !parsesToObject(body))
    .map(described);
}

describe('raw bodies: random bytes and broken JSON sent as application/json', () => {
  it.each(JSON_ENDPOINTS.map((e) => [e.name, e] as const))('%s answers 4xx in the error shape and writes nothing', async (_name, e) => {
    const before = new Map(tried);
    const snapshot = await fingerprint();
    await fc.assert(
      fc.asyncProperty(rawBodies(e), async ({ body, contentType, encoding }) => {
        count(e.name);
        const request = sendJson(e.method, e.url, body, contentType);
        if (encoding) request.set('Content-Encoding', encoding);
        await expectRefused(await request, snapshot);
      }),
      { numRuns: 100 },
    );
    report(`raw bodies ${e.name}`, [e.name], before);
  });
});

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

/** Files with a valid structure but hostile rows: accepted with every bad row reported, never a 5xx, never stuck. */

// ---------------------------------------------------------------------------------------------------------------

describe('the valid bodies the JSON families start from', () => {
  it.each(JSON_ENDPOINTS.map((e) => [e.name, e] as const))(
    "%s takes its valid body (so the refusals above are the hostile parts' doing)",
    async (_name, e) => {
      const res = await sendJson(e.method, e.url, JSON.stringify(e.valid));
      expect({ status: res.status, body: res.status === e.validStatus ? null : res.body }).toEqual({ status: e.validStatus, body: null });
    },
  );
});
