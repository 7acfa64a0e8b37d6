import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ROLES, type Role } from '../../model/roles';
import { startTestSystem, KEYS, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * The README "Roles" table as data: one row per README line, the routes spelled as in the OpenAPI document,
 * then one mark per role in the README's column order (admin, marketer, operator, producer).
 */
const README_ROLES_TABLE: Array<[routes: string[], marks: string]> = [
  [['POST /v1/code-batches', 'GET /v1/code-batches/{id}', 'POST /v1/code-batches/keyspace-check', 'GET /v1/jobs'], '✓ ✓ ✓ –'],
  [['POST /v1/code-imports', 'GET /v1/code-imports/{id}'], '✓ ✓ ✓ –'],
  [
    [
      'GET /v1/codes',
      'GET /v1/codes/export',
      'GET /v1/codes/{code}',
      'GET /v1/codes/{code}/qr.svg',
      'GET /v1/codes/{code}/qr.png',
      'GET /v1/codes/{code}/barcode.svg',
      'GET /v1/codes/{code}/barcode.png',
    ],
    '✓ ✓ ✓ –',
  ],
  [['POST /v1/codes/{code}/cancel', 'POST /v1/code-batches/{id}/cancel', 'POST /v1/code-status-imports'], '✓ – ✓ –'],
  [['POST /v1/event-schemas', 'PATCH /v1/event-schemas/{name}'], '✓ ✓ – –'],
  [['GET /v1/event-schemas'], '✓ ✓ ✓ ✓'],
  [['POST /v1/campaigns', 'PATCH /v1/campaigns/{id}'], '✓ ✓ – –'],
  [
    [
      'GET /v1/campaigns',
      'GET /v1/campaigns/{id}',
      'GET /v1/campaigns/{id}/lifecycle',
      'GET /v1/campaigns/{id}/stats',
      'GET /v1/campaigns/{id}/stats/timeseries',
    ],
    '✓ ✓ ✓ –',
  ],
  [['GET /v1/campaigns/{id}/rule-versions', 'GET /v1/campaigns/{id}/rule-versions/{version}'], '✓ ✓ ✓ –'],
  [['POST /v1/campaigns/{id}/rule-versions/{version}/restore'], '✓ ✓ – –'],
  [['POST /v1/campaigns/{id}/simulate'], '✓ ✓ ✓ –'],
  [['POST /v1/campaigns/{id}/replay'], '✓ ✓ – –'],
  [['POST /v1/events'], '✓ – – ✓'],
  [['GET /v1/events', 'GET /v1/events/{id}'], '✓ ✓ ✓ –'],
  [['PUT /v1/members/{id}', 'GET /v1/members/{id}'], '✓ ✓ ✓ ✓'],
  [['GET /v1/members/{id}/transactions'], '✓ ✓ ✓ –'],
  [
    [
      'POST /v1/distributions',
      'POST /v1/distributions/preview',
      'GET /v1/distributions/{id}',
      'GET /v1/distributions/{id}/export',
      'POST /v1/distributions/{id}/cancel',
    ],
    '✓ ✓ ✓ –',
  ],
  [['GET /v1/members/{id}/codes'], '✓ ✓ ✓ ✓'],
  [['POST /v1/rewards'], '✓ ✓ – –'],
  [['GET /v1/rewards', 'GET /v1/rewards/{id}', 'GET /v1/members/{id}/eligible-rewards'], '✓ ✓ ✓ ✓'],
  [
    [
      'POST /v1/rewards/{id}/redemptions',
      'POST /v1/rewards/{id}/awards',
      'POST /v1/rewards/{id}/reservations',
      'POST /v1/redemptions/{id}/assign',
    ],
    '✓ – ✓ ✓',
  ],
  [['POST /v1/redemptions/{id}/rollback'], '✓ – ✓ –'],
  [
    [
      'POST /v1/webhooks',
      'GET /v1/webhooks',
      'GET /v1/webhooks/{id}',
      'PATCH /v1/webhooks/{id}',
      'DELETE /v1/webhooks/{id}',
      'GET /v1/webhooks/{id}/deliveries',
      'POST /v1/webhook-deliveries/{id}/redeliver',
    ],
    '✓ ✓ – –',
  ],
  [['GET /v1/audit-log'], '✓ ✓ – –'],
  [['GET /v1/me', 'GET /v1/schemas/campaign-rules.json'], '✓ ✓ ✓ ✓'],
];

/** Routes that need no key at all (README: "no key needed"); not part of the OpenAPI document. */
const PUBLIC_ROUTES = ['/healthz', '/openapi.json', '/docs/'];

const ALLOWED: Map<string, Set<Role>> = new Map(
  README_ROLES_TABLE.flatMap(([routes, marks]) => {
    const columns = marks.split(' ');
    if (columns.length !== ROLES.length) throw new Error(`roles table row ${routes[0]}: ${columns.length} marks`);
    const allowed = new Set(ROLES.filter((_role, i) => columns[i] === '✓'));
    return routes.map((route) => [route, allowed] as const);
  }),
);

/** Real ids made in beforeAll, so allowed roles reach real rows rather than stopping at a 404. */
interface Fixtures {
  batchId: string;
  importId: string;
  code: string;
  campaignId: string;
  memberId: string;
  rewardId: string;
  redemptionId: string;
  schemaName: string;
  webhookId: string;
}

/** A realistic value for each path parameter, by the collection the parameter belongs to. */
function concretePath(route: string, f: Fixtures): string {
  const path = route.slice(route.indexOf(' ') + 1);
  return path.replace(/\/([a-z-]+)\/\{(\w+)\}/g, (_match, collection: string, param: string) => {
    const values: Record<string, string> = {
      'code-batches/id': f.batchId,
      'code-imports/id': f.importId,
      'codes/code': f.code,
      'event-schemas/name': f.schemaName,
      'campaigns/id': f.campaignId,
      'events/id': 'roles-event',
      'members/id': f.memberId,
      'rewards/id': f.rewardId,
      'redemptions/id': f.redemptionId,
      'webhooks/id': f.webhookId,
      'webhook-deliveries/id': randomUUID(),
      'distributions/id': randomUUID(),
      'rule-versions/version': '1',
    };
    const value = values[`${collection}/${param}`];
    if (value === undefined) throw new Error(`no fixture for {${param}} under /${collection} (${route}): add one`);
    return `/${collection}/${encodeURIComponent(value)}`;
  });
}

const CSV_ROUTES: Record<string, () => string> = {
  'POST /v1/code-imports': () => `code\nROLES${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}\n`,
  'POST /v1/code-status-imports': () => 'code,status\nNOSUCHCODE0001,cancelled\n',
};

let system: TestSystem;
let fixtures: Fixtures;

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'roles-campaign');
  await addCodes(system, 'roles-campaign', ['ROLESCODE0001']);
  await addMembers(system, ['roles-member-1']);
  const admin = system.as('admin');
  const reward = await system.api
    .post('/v1/rewards')
    .set(admin)
    .send({ id: 'roles-reward', name: 'Roles reward', type: 'coupon_based_reward', pointsCost: 0 });
  expect(reward.status).toBe(201);
  const batch = await system.api.post('/v1/code-batches').set(admin).send({ quantity: 5, length: 10, charset: 'numeric' });
  expect(batch.status).toBe(202);
  const upload = await system.api.post('/v1/code-imports').set(admin).set('Content-Type', 'text/csv').send('code\nROLESIMPORT0001\n');
  expect(upload.status).toBe(202);
  const webhook = await system.api
    .post('/v1/webhooks')
    .set(admin)
    .send({ url: 'https://example.com/roles', events: ['campaign.started'] });
  expect(webhook.status).toBe(201);
  fixtures = {
    batchId: batch.body.id,
    importId: upload.body.id,
    code: 'rolescode-0001',
    campaignId: 'roles-campaign',
    memberId: 'roles-member-1',
    rewardId: 'roles-reward',
    redemptionId: randomUUID(),
    schemaName: 'code_entered',
    webhookId: webhook.body.id,
  };
});
afterAll(() => system?.stop());

type Headers = Record<string, string>;

function call(route: string, headers: Headers): Promise<Response> {
  const method = route.slice(0, route.indexOf(' ')).toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const request = system.api[method](concretePath(route, fixtures)).set(headers);
  if (method === 'get' || method === 'delete') return request;
  const csv = CSV_ROUTES[route];
  // A body that gets past the media-type checks; whether it is valid doesn't matter for the auth decision.
  return csv ? request.set('Content-Type', 'text/csv').send(csv()) : request.send({});
}

const ROUTES = [...ALLOWED.keys()];

const WITHOUT_A_VALID_KEY: Array<[string, Headers]> = [
  ['no Authorization header', {}],
  ['a wrong key', { Authorization: 'Bearer not-a-real-key-0000' }],
  ['a valid key without "Bearer"', { Authorization: KEYS.admin }],
  ['a valid key in another scheme', { Authorization: `Basic ${KEYS.admin}` }],
];

describe('the roles matrix', () => {
  it('names every route of the OpenAPI document exactly once, and admin may use them all', async () => {
    const doc = await system.api.get('/openapi.json');
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const listed = README_ROLES_TABLE.flatMap(([routes]) => routes);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...ROUTES].sort()).toEqual([...documented].sort());
    for (const route of ROUTES) expect(ALLOWED.get(route)!.has('admin')).toBe(true);
  });

  it.each(ROUTES)('%s: 401 without a valid key, 403 for the roles the README leaves out, through for the others', async (route) => {
    for (const [what, headers] of WITHOUT_A_VALID_KEY) {
      const res = await call(route, headers);
      expect({ route, what, status: res.status, code: res.body?.error?.code }).toEqual({
        route,
        what,
        status: 401,
        code: 'unauthenticated',
      });
      expect(typeof res.body.error.message).toBe('string');
    }
    for (const role of ROLES) {
      const res = await call(route, system.as(role));
      if (ALLOWED.get(route)!.has(role)) {
        // The auth decision let it through: anything but 401/403 (and never a 5xx: the body is just empty or invalid).
        expect({ route, role, denied: [401, 403].includes(res.status), serverError: res.status >= 500 }).toEqual({
          route,
          role,
          denied: false,
          serverError: false,
        });
      } else {
        expect({ route, role, status: res.status, code: res.body?.error?.code }).toEqual({ route, role, status: 403, code: 'forbidden' });
        expect(typeof res.body.error.message).toBe('string');
      }
    }
  });

  it.each(PUBLIC_ROUTES)('GET %s needs no key (and a wrong key does not block it)', async (path) => {
    expect((await system.api.get(path)).status).toBe(200);
    expect((await system.api.get(path).set('Authorization', 'Bearer not-a-real-key-0000')).status).toBe(200);
  });
});
