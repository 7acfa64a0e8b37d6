import fc from 'fast-check';
import { useHostileSystem, SEEDED_CODES, tried, count, report, fingerprint, expectRefused, send } from '../support/hostile-system';
import { hostileText, patternBreaker, encode } from '../support/hostile-values';

/* Hostile code strings, image names and ids in paths (helpers and generators: test/support/hostile-*.ts). */

useHostileSystem();

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
