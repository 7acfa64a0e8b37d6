import fc from 'fast-check';
import { eventually } from '../support/test-system';
import { addCodes } from '../support/campaign-setup';
import {
  useHostileSystem,
  hostileSystem,
  EXISTING_CAMPAIGN,
  SEEDED_CODES,
  tried,
  count,
  report,
  TABLES,
  fingerprint,
  fail,
  expectRefused,
  expectNo5xx,
  SQL_FRAGMENTS,
  hostileText,
  patternBreaker,
  unknownKey,
  encode,
  wellFormed,
  IMPOSSIBLE_DATES,
  described,
  send,
} from '../support/hostile-input';

/* Hostile query strings, code strings, path ids and CSV uploads (helpers and generators: test/support/hostile-input.ts). */

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

// ---------------------------------------------------------------------------------------------------------------

const IMAGES = ['qr.svg', 'qr.png', 'barcode.svg', 'barcode.png'];

/** A path segment for a hostile code: percent-encoded, or raw hostile encodings. */
const hostileCodeSegment = fc
  .oneof(
    patternBreaker.map(encode),
    hostileText.map(encode),
    // Look-alikes of the seeded codes: Cyrillic, Greek, full-width (which NFKC makes ASCII: still not a seeded code).
    fc
      .tuple(
        fc.constantFrom(...SEEDED_CODES),
        fc.nat(),
        fc.constantFrom('\u041e', '\u0399', '\u0405', '\u0410', '\u0415', '\u200b', '\u0000', '\u00ad', '\u2060'),
      )
      .map(([code, i, ch]) => encode(code.slice(0, i % code.length) + ch + code.slice((i % code.length) + 1))),
    fc.string({ minLength: 65, maxLength: 6000 }).map(encode),
    fc.constantFrom(
      '%00',
      '%00HOSTILESEED0001',
      'HOSTILESEED0001%00',
      '%',
      '%zz',
      '%E0%A4%A',
      '%C0%AF',
      '%ED%A0%80',
      '%2e%2e',
      '..',
      '.',
      '%2F',
      'a%2Fb',
      '%5C',
      '%0d%0aX-Injected:%201',
      '%27%20OR%201%3D1%20--',
      'x'.repeat(8000),
      'A'.repeat(65),
    ),
  )
  .filter((segment) => segment !== '' && segment.length <= 12_000 && segment.toLowerCase() !== 'export');

describe('code strings in GET /v1/codes/:code and the image routes', () => {
  it.each([['GET /v1/codes/:code', ''], ...IMAGES.map((image) => [`GET /v1/codes/:code/${image}`, `/${image}`])])(
    '%s answers 400 or 404 in the error shape',
    async (endpoint, suffix) => {
      const before = new Map(tried);
      const snapshot = await fingerprint();
      await fc.assert(
        fc.asyncProperty(hostileCodeSegment, async (segment) => {
          count(endpoint);
          await expectRefused(await send('get', `/v1/codes/${segment}${suffix}`), snapshot, [400, 404]);
        }),
        { numRuns: 100 },
      );
      report(`code strings ${endpoint}`, [endpoint], before);
    },
  );

  it('GET /v1/codes/:code/:image refuses hostile image names with 404', async () => {
    const endpoint = 'GET /v1/codes/:code/:image (image name)';
    const before = new Map(tried);
    const snapshot = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            hostileText,
            fc.constantFrom('constructor', '__proto__', 'toString', 'QR.SVG', 'qr.svg ', 'qr.svg%00', 'qr.gif', 'hasOwnProperty'),
          )
          .filter((s) => s !== '' && !IMAGES.includes(s)),
        async (image) => {
          count(endpoint);
          await expectRefused(await send('get', `/v1/codes/${SEEDED_CODES[0]}/${encode(image)}`), snapshot, [400, 404]);
        },
      ),
      { numRuns: 50 },
    );
    report('image names', [endpoint], before);
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Every other route with an id in its path, with a body that would be valid: only the id is hostile. */
const ID_ROUTES: Array<{ name: string; method: 'get' | 'post' | 'patch' | 'delete'; path: (id: string) => string; body?: unknown }> = [
  { name: 'GET /v1/code-batches/:id', method: 'get', path: (id) => `/v1/code-batches/${id}` },
  { name: 'POST /v1/code-batches/:id/cancel', method: 'post', path: (id) => `/v1/code-batches/${id}/cancel`, body: { reason: 'hostile' } },
  { name: 'GET /v1/code-imports/:id', method: 'get', path: (id) => `/v1/code-imports/${id}` },
  { name: 'POST /v1/codes/:code/cancel', method: 'post', path: (id) => `/v1/codes/${id}/cancel`, body: { reason: 'hostile' } },
  { name: 'PATCH /v1/event-schemas/:name', method: 'patch', path: (id) => `/v1/event-schemas/${id}`, body: { active: true } },
  { name: 'GET /v1/campaigns/:id', method: 'get', path: (id) => `/v1/campaigns/${id}` },
  { name: 'GET /v1/campaigns/:id/stats', method: 'get', path: (id) => `/v1/campaigns/${id}/stats` },
  { name: 'GET /v1/members/:id', method: 'get', path: (id) => `/v1/members/${id}` },
  { name: 'GET /v1/members/:id/transactions', method: 'get', path: (id) => `/v1/members/${id}/transactions` },
  { name: 'GET /v1/members/:id/eligible-rewards', method: 'get', path: (id) => `/v1/members/${id}/eligible-rewards` },
  { name: 'GET /v1/rewards/:id', method: 'get', path: (id) => `/v1/rewards/${id}` },
  {
    name: 'POST /v1/rewards/:id/redemptions',
    method: 'post',
    path: (id) => `/v1/rewards/${id}/redemptions`,
    body: { memberId: 'hostile-member' },
  },
  { name: 'POST /v1/rewards/:id/awards', method: 'post', path: (id) => `/v1/rewards/${id}/awards`, body: { memberId: 'hostile-member' } },
  { name: 'POST /v1/rewards/:id/reservations', method: 'post', path: (id) => `/v1/rewards/${id}/reservations`, body: {} },
  {
    name: 'POST /v1/redemptions/:id/assign',
    method: 'post',
    path: (id) => `/v1/redemptions/${id}/assign`,
    body: { memberId: 'hostile-member', as: 'award' },
  },
  {
    name: 'POST /v1/redemptions/:id/rollback',
    method: 'post',
    path: (id) => `/v1/redemptions/${id}/rollback`,
    body: { reason: 'hostile' },
  },
  { name: 'GET /v1/webhooks/:id', method: 'get', path: (id) => `/v1/webhooks/${id}` },
  { name: 'PATCH /v1/webhooks/:id', method: 'patch', path: (id) => `/v1/webhooks/${id}`, body: { status: 'paused' } },
  { name: 'DELETE /v1/webhooks/:id', method: 'delete', path: (id) => `/v1/webhooks/${id}` },
  { name: 'GET /v1/webhooks/:id/deliveries', method: 'get', path: (id) => `/v1/webhooks/${id}/deliveries` },
  { name: 'POST /v1/webhook-deliveries/:id/redeliver', method: 'post', path: (id) => `/v1/webhook-deliveries/${id}/redeliver`, body: {} },
  { name: 'GET /v1/events/:id', method: 'get', path: (id) => `/v1/events/${id}` },
  { name: 'GET /v1/campaigns/:id/lifecycle', method: 'get', path: (id) => `/v1/campaigns/${id}/lifecycle` },
  { name: 'GET /v1/campaigns/:id/stats/timeseries', method: 'get', path: (id) => `/v1/campaigns/${id}/stats/timeseries` },
  { name: 'GET /v1/campaigns/:id/rule-versions', method: 'get', path: (id) => `/v1/campaigns/${id}/rule-versions` },
  { name: 'GET /v1/campaigns/:id/rule-versions/1', method: 'get', path: (id) => `/v1/campaigns/${id}/rule-versions/1` },
  { name: 'GET /v1/campaigns/summer/rule-versions/:version', method: 'get', path: (id) => `/v1/campaigns/summer/rule-versions/${id}` },
  { name: 'GET /v1/distributions/:id', method: 'get', path: (id) => `/v1/distributions/${id}` },
  { name: 'GET /v1/distributions/:id/export', method: 'get', path: (id) => `/v1/distributions/${id}/export` },
  { name: 'POST /v1/distributions/:id/cancel', method: 'post', path: (id) => `/v1/distributions/${id}/cancel`, body: {} },
  { name: 'GET /v1/members/:id/codes', method: 'get', path: (id) => `/v1/members/${id}/codes` },
];

/** An id no row can have (it holds a character no id pattern allows), percent-encoded, or raw hostile encodings. */
const hostileIdSegment = fc.oneof(
  patternBreaker.map(encode),
  fc.constantFrom(
    '%00',
    'x%00',
    '%00x',
    '%',
    '%zz',
    '%ED%A0%80',
    '%C0%AF',
    '%2e%2e',
    '..',
    '%2F',
    '%27%20OR%201%3D1%20--',
    'x'.repeat(8000),
    '00000000-0000-0000-0000-00000000000%00',
  ),
);

describe('ids in paths: every other route with a path parameter', () => {
  it.each(ID_ROUTES.map((r) => [r.name, r] as const))('%s answers 400 or 404 in the error shape and writes nothing', async (_name, r) => {
    const before = new Map(tried);
    const snapshot = await fingerprint();
    await fc.assert(
      fc.asyncProperty(hostileIdSegment, async (segment) => {
        count(r.name);
        const request = send(r.method, r.path(segment));
        await expectRefused(await (r.body === undefined ? request : request.send(r.body as object)), snapshot, [400, 404]);
      }),
      // Found by this property: a %00 id reached PostgreSQL on GET /v1/rewards/:id, its redemptions, awards and
      // reservations, /v1/members/:id/eligible-rewards and /v1/redemptions/:id/rollback (500).
      { numRuns: 40, examples: [['%00'], ['x%00']] },
    );
    report(`ids in paths ${r.name}`, [r.name], before);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const CSV_ENDPOINTS = [
  { name: 'POST /v1/code-imports', url: '/v1/code-imports', header: 'code,expires_at,note' },
  { name: 'POST /v1/code-status-imports', url: '/v1/code-status-imports', header: 'code,status,reason' },
];

const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Files that can't be read as a whole: the README says they are refused with a 4xx and leave nothing behind. */
interface CsvCase {
  what: string;
  body: Buffer;
  query?: string;
}
function brokenCsv(header: string): fc.Arbitrary<CsvCase> {
  const goodRows = fc.array(fc.constantFrom('GOOD0001,,x', 'GOOD0002,2027-01-01,y', '"GOOD0003",,"a, b"'), { maxLength: 5 });
  return fc
    .oneof<fc.Arbitrary<CsvCase>[]>(
      fc
        .uint8Array({ maxLength: 4096 })
        .map((b) => Buffer.from(b))
        .filter((b) => !/code/i.test(b.toString('latin1')) && !/code/i.test(b.toString('utf8')))
        .map((body) => ({ what: 'binary garbage', body })),
      // From 4,098 characters: csv-parse's max_record_size lets a record of exactly limit + 1 characters through.
      fc.tuple(goodRows, fc.integer({ min: 4098, max: 40_000 }), fc.constantFrom('A', '\u00e9', ',', '"')).map(([rows, n, ch]) => ({
        what: `a ${n}-character line`,
        body: Buffer.from([header, ...rows, ch === '"' ? `"${'x'.repeat(n)}"` : ch.repeat(n)].join('\n')),
      })),
      fc
        .integer({ min: 65, max: 5000 })
        .map((n) => ({ what: `${n} columns`, body: Buffer.from(`${header}${',c'.repeat(n)}\nGOOD0001${','.repeat(n + 2)}\n`) })),
      fc
        .tuple(goodRows, fc.constantFrom('"UNTERMINATED', 'a"b,,', '"ab"c,,', '"a""b"x,,', 'GOOD"0001,,', '"x\n'), goodRows)
        .map(([a, bad, b]) => ({
          what: `broken quoting ${JSON.stringify(bad)}`,
          body: Buffer.from([header, ...a, bad, ...b].join('\r\n')),
        })),
      fc
        .constantFrom('', '\uFEFF', '\r\n\r\n', '\n', header, `${header}\n`, `${header}\r\n\r\n\r\n`, `\uFEFF${header}\n\n`)
        .map((s) => ({ what: `only ${JSON.stringify(s)}`, body: Buffer.from(s) })),
      fc
        .constantFrom(
          'codes,expires_at\nA1,\n',
          'status\nredeemed\n',
          'code,code,status\nA,B,redeemed\n',
          ',,,\nA,B,C\n',
          'CODE;STATUS\nA;cancelled\n',
          '\u0000code,status\nA,cancelled\n',
        )
        .map((s) => ({ what: `header ${JSON.stringify(s.split('\n')[0])}`, body: Buffer.from(s) })),
      fc
        .oneof(
          unknownKey.filter((k) => k !== 'pool').map((k) => `${encode(k)}=1`),
          patternBreaker.map((s) => `pool=${encode(s)}`),
          fc.constantFrom('pool=campaign:a&pool=campaign:b', 'pool=bank', 'pool=campaign:', 'pool[type]=campaign'),
        )
        .map((query) => ({ what: `query ${query}`, body: Buffer.from(`${header}\nGOOD0001,,x\n`), query })),
    )
    .map(described);
}

describe('CSV uploads broken as a whole', () => {
  it.each(CSV_ENDPOINTS.map((e) => [e.name, e] as const))(
    '%s refuses them with a 4xx in the error shape and writes nothing',
    async (_name, e) => {
      const before = new Map(tried);
      const snapshot = await fingerprint();
      await fc.assert(
        fc.asyncProperty(brokenCsv(e.header), async ({ body, query }) => {
          count(e.name);
          const res = await send('post', `${e.url}${query ? `?${query}` : ''}`)
            .set('Content-Type', 'text/csv')
            .send(body);
          // A header alone is refused by both imports (400 empty_file), like any file that can't be taken.
          await expectRefused(res, snapshot, [400, 413]);
        }),
        { numRuns: 120 },
      );
      report(`broken CSV ${e.name}`, [e.name], before);
    },
  );
});

describe('CSV uploads with a valid structure and hostile rows', () => {
  const hostileCell = fc.oneof(
    hostileText,
    fc.constantFrom(
      '=HYPERLINK("http://evil","x")',
      "=cmd|' /C calc'!A0",
      '+1+1',
      '-2+3',
      '@SUM(A1:A2)',
      '\t=1',
      '\r=1',
      '=1',
      'GOOD\u0000CODE',
      '\u0000',
      '\\N',
      '\\.',
      '\\',
      "'",
      '2026-02-30',
      '0000-01-01',
      '99999-01-01',
      '2026-01-01T25:00',
    ),
    fc.string({ unit: 'binary', maxLength: 100 }),
  );
  const rows = fc.array(fc.tuple(hostileCell, hostileCell, hostileCell), { minLength: 1, maxLength: 30 });

  it('POST /v1/code-imports takes the file (202), reports the bad rows and finishes the import', async () => {
    const endpoint = 'POST /v1/code-imports';
    const before = new Map(tried);
    await fc.assert(
      fc.asyncProperty(
        rows,
        fc.oneof(
          fc.constant('note'),
          hostileText.filter((h) => !['code', 'expires_at'].includes(h.trim().toLowerCase())),
        ),
        async (data, extraColumn) => {
          count(endpoint);
          const header = ['code', 'expires_at', extraColumn].map(csvCell).join(',');
          const body = [header, ...data.map((row) => row.map(csvCell).join(','))].join('\r\n');
          const snapshot = await fingerprint();
          const res = await send('post', '/v1/code-imports').set('Content-Type', 'text/csv').send(body);
          expectNo5xx(res);
          // Refused as a whole only for a U+0000 (PostgreSQL can't store it): in the error shape, leaving nothing behind.
          if (res.status >= 400) {
            if (!body.includes('\u0000')) fail('a file with a valid structure was refused', res);
            return expectRefused(res, snapshot);
          }
          if (res.status !== 202) fail('expected 202', res);
          const done = await eventually(async () => {
            const r = await send('get', `/v1/code-imports/${res.body.id}?limit=1000`);
            return ['completed', 'failed'].includes(r.body.status) ? r.body : null;
          }, 30_000);
          if (done.status !== 'completed' || done.rows !== data.length || done.imported + done.rejected !== data.length)
            fail(`import ended ${JSON.stringify(done).slice(0, 300)}`);
        },
      ),
      // Found by this property: a U+0000 cell or attribute failed the staging COPY (500).
      // Each run is a whole import workflow: 30 keep this test within minutes on a loaded 2-core machine.
      {
        numRuns: 30,
        examples: [
          [[['GOOD\u0000CODE', '', 'x']], 'note'],
          [[['HOSTILEGOOD1', '', '\u0000']], 'note'],
        ],
      },
    );
    report('CSV with hostile rows (code imports)', [endpoint], before);
  }, 600_000);

  it('POST /v1/code-status-imports applies the good rows and reports the others, never a 5xx', async () => {
    const endpoint = 'POST /v1/code-status-imports';
    const before = new Map(tried);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(rows, hostileCell, async (data, reason) => {
        count(endpoint);
        const code = `STATUSHOSTILE${++n}`;
        await addCodes(hostileSystem(), EXISTING_CAMPAIGN, [code]);
        const lines = [[code, 'cancelled', reason], ...data];
        const body = ['code,status,reason', ...lines.map((row) => row.map(csvCell).join(','))].join('\n');
        const snapshot = await fingerprint();
        const res = await send('post', '/v1/code-status-imports').set('Content-Type', 'text/csv').send(body);
        expectNo5xx(res);
        // Refused as a whole (one transaction) only for a U+0000 PostgreSQL can't store: nothing applied.
        if (res.status >= 400) {
          if (!body.includes('\u0000')) fail('a file with a valid structure was refused', res);
          return expectRefused(res, snapshot);
        }
        if (res.status !== 200) fail('expected 200', res);
        if (res.body.rows !== lines.length || res.body.updated + res.body.unchanged + res.body.rejected !== lines.length)
          fail('rows do not add up', res);
        const { rows: history } = await hostileSystem().db.query(`select reason from code_history where code = $1`, [code]);
        // (A lone surrogate can't travel as UTF-8: the upload carries U+FFFD in its place.)
        if (history.length !== 1 || history[0].reason !== (wellFormed(reason) || null))
          fail(`the reason was stored as ${JSON.stringify(history)}`, res);
      }),
      // Found by this property: a U+0000 reason failed the history insert (500).
      { numRuns: 50, examples: [[[['NOSUCHCODE1', 'cancelled', '']], '\u0000']] },
    );
    report('CSV with hostile rows (status imports)', [endpoint], before);
  });
});
