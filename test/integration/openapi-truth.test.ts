import { startTestSystem, type TestSystem } from '../support/test-system';
import { addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/** Issue 15: answers are what the document says (405, the 429 of POST /v1/events, a reward's attribute message). */
let system: TestSystem;
let doc: {
  components: {
    schemas: Record<
      string,
      {
        required?: string[];
        properties?: Record<string, unknown>;
        allOf?: Array<{ $ref?: string; properties?: Record<string, unknown>; required?: string[] }>;
      }
    >;
  };
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
};

beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '2' } });
  doc = (await system.api.get('/openapi.json')).body;
});
afterAll(() => system?.stop());

it.each([
  ['delete', '/v1/campaigns/x', 'GET, PATCH, HEAD'],
  ['put', '/v1/code-batches', 'POST'],
  ['post', '/v1/members/x', 'GET, PUT, HEAD'],
  ['patch', '/v1/codes/ABC/cancel', 'POST'],
] as const)('%s %s on a known path answers 405 with Allow: %s', async (method, path, allow) => {
  const res = await system.api[method](path).set(system.as('admin'));
  expect(res.status).toBe(405);
  expect(res.body.error.code).toBe('method_not_allowed');
  expect(res.headers.allow.split(', ').sort()).toEqual(allow.split(', ').sort());
});

it('an unknown path is still 404', async () => {
  const res = await system.api.get('/v1/nothing-here').set(system.as('admin'));
  expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
});

it('the 429 of POST /v1/events has the shape the document declares for it', async () => {
  await createCodeEventSchema(system);
  await createCampaign(system, 'c429');
  await addMembers(system, ['m-429']);
  for (const id of ['e1', 'e2']) expect((await postEvent(system, id, 'm-429', 'NOSUCHCODE')).status).toBe(200);
  const res = await postEvent(system, 'e3', 'm-429', 'NOSUCHCODE');
  expect(res.status).toBe(429);

  const ref = doc.paths['/v1/events'].post.responses['429'].content!['application/json'].schema.$ref!;
  const schema = doc.components.schemas[ref.split('/').pop()!];
  const parts = schema.allOf!.map((p) => (p.$ref ? doc.components.schemas[p.$ref.split('/').pop()!] : p));
  const required = parts.flatMap((p) => p.required ?? []);
  const properties = parts.flatMap((p) => Object.keys(p.properties ?? {}));
  expect(required.sort()).toEqual(['error', 'eventId']);
  expect(Object.keys(res.body).sort()).toEqual(properties.sort());
  expect(res.body).toEqual({ error: { code: 'too_many_attempts', message: expect.any(String) }, eventId: 'e3' });
});

it("a reward's unknown transaction attribute is reported against the reward, not an event schema", async () => {
  const reward = await system.api
    .post('/v1/rewards')
    .set(system.as('marketer'))
    .send({ id: 'r-attr', name: 'R', type: 'coupon_based_reward', pointsCost: 0 });
  expect(reward.status).toBe(201);
  const res = await system.api
    .post('/v1/rewards/r-attr/awards')
    .set(system.as('operator'))
    .send({ memberId: 'm-429', attributes: { colour: 'red' } });
  expect(res.status).toBe(400);
  expect(res.body.error).toEqual({
    code: 'unknown_attribute',
    message: 'attribute "colour" is not in the transaction attributes of reward "r-attr"',
    field: 'attributes.colour',
  });
});

it('a campaign date must be a real day, as format date-time says', async () => {
  const res = await system.api
    .post('/v1/campaigns')
    .set(system.as('marketer'))
    .send({
      id: 'feb30',
      name: 'x',
      startsAt: '2026-02-30T00:00:00Z',
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [
        {
          name: 'r',
          conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' }] },
          effects: [{ type: 'add_points', points: 1 }],
        },
      ],
    });
  expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, 'validation_failed', 'startsAt']);
});
