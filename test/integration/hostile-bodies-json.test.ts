import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { useHostileSystem, tried, count, report, fingerprint, expectRefused, sendJson } from '../support/hostile-system';
import { hostileChar, isPlainObject, nested, withRawField, setPath } from '../support/hostile-values';
import { type JsonEndpoint, JSON_ENDPOINTS } from '../support/hostile-endpoints';
import { type BodyCase, described, invalidBodies, hostileMemberIds, idempotencyKey } from '../support/hostile-body-cases';

/*
 * Hostile JSON and raw request bodies on every JSON endpoint, and the valid bodies they start from
 * (helpers and generators: test/support/hostile-*.ts).
 */

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

describe('the valid bodies the JSON families start from', () => {
  it.each(JSON_ENDPOINTS.map((e) => [e.name, e] as const))(
    "%s takes its valid body (so the refusals above are the hostile parts' doing)",
    async (_name, e) => {
      const res = await sendJson(e.method, e.url, JSON.stringify(e.valid));
      expect({ status: res.status, body: res.status === e.validStatus ? null : res.body }).toEqual({ status: e.validStatus, body: null });
    },
  );
});
