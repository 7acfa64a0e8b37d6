import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeRoutes } from '../../api/app';
import { bookPoints } from '../../db/points-ledger';

/**
 * Issue 15: every request-body example in the OpenAPI document is accepted by the route it documents, posted in
 * order to a fresh database (each example names what the earlier ones created). Every operation with a JSON
 * body must have an example and be exercised here.
 */
type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { example?: unknown }> };
};
const doc = buildOpenApiDocument(describeRoutes) as unknown as Doc;

function exampleOf(method: string, path: string): Record<string, unknown> {
  const ref = doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema.$ref;
  const example = ref && doc.components.schemas[ref.split('/').pop()!].example;
  if (!example) throw new Error(`${method.toUpperCase()} ${path}: its request body has no example`);
  return example as Record<string, unknown>;
}

let system: TestSystem;
const exercised = new Set<string>();
const admin = () => system.as('admin');

/** Sends the documented example of `method path` to the concrete `url`; expects a 2xx. */
async function send(method: 'post' | 'put' | 'patch', path: string, url: string) {
  exercised.add(`${method} ${path}`);
  const res = await system.api[method](url).set(admin()).send(exampleOf(method, path));
  if (res.status >= 300)
    throw new Error(`${method.toUpperCase()} ${url} with the documented example: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const batchDone = (id: string) =>
  eventually(async () => ['completed', 'failed'].includes((await system.api.get(`/v1/code-batches/${id}`).set(admin())).body.status));

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

it('every request-body example is accepted by its route', async () => {
  await send('post', '/v1/event-schemas', '/v1/event-schemas');
  await send('patch', '/v1/event-schemas/{name}', '/v1/event-schemas/code_entered');
  await send('put', '/v1/members/{id}', '/v1/members/shop:10042');
  const campaign = await send('post', '/v1/campaigns', '/v1/campaigns');
  await send('patch', '/v1/campaigns/{id}', `/v1/campaigns/${campaign.id}`);
  await send('post', '/v1/campaigns/{id}/simulate', `/v1/campaigns/${campaign.id}/simulate`);
  const batch = await send('post', '/v1/code-batches', '/v1/code-batches');
  await send('post', '/v1/events', '/v1/events');
  await send('post', '/v1/campaigns/{id}/replay', `/v1/campaigns/${campaign.id}/replay`);

  const reward = await send('post', '/v1/rewards', '/v1/rewards');
  const rewardCodes = await system.api
    .post('/v1/code-batches')
    .set(admin())
    .send({ quantity: 10, length: 8, charset: 'numeric', pool: { type: 'reward', id: reward.id } });
  await batchDone(rewardCodes.body.id);
  await bookPoints(system.db, {
    memberId: 'shop:10042',
    kind: 'credit',
    points: 10_000,
    source: 'test',
    reference: 'test:seed',
    attributes: {},
  });
  const redemption = await send('post', '/v1/rewards/{id}/redemptions', `/v1/rewards/${reward.id}/redemptions`);
  await send('post', '/v1/rewards/{id}/awards', `/v1/rewards/${reward.id}/awards`);
  const reservation = await send('post', '/v1/rewards/{id}/reservations', `/v1/rewards/${reward.id}/reservations`);
  await send('post', '/v1/redemptions/{id}/assign', `/v1/redemptions/${reservation.id}/assign`);
  await send('post', '/v1/redemptions/{id}/rollback', `/v1/redemptions/${redemption.id}/rollback`);

  await batchDone(batch.id);
  await send('post', '/v1/distributions/preview', '/v1/distributions/preview');
  const distribution = await send('post', '/v1/distributions', '/v1/distributions');
  await send('post', '/v1/distributions/{id}/cancel', `/v1/distributions/${distribution.id}/cancel`);
  const { rows } = await system.db.query(`select code from codes where batch_id = $1 and status = 'unused' limit 1`, [batch.id]);
  await send('post', '/v1/codes/{code}/cancel', `/v1/codes/${rows[0].code}/cancel`);
  await send('post', '/v1/code-batches/{id}/cancel', `/v1/code-batches/${batch.id}/cancel`);
  await send('post', '/v1/code-batches/keyspace-check', '/v1/code-batches/keyspace-check');

  const webhook = await send('post', '/v1/webhooks', '/v1/webhooks');
  await send('patch', '/v1/webhooks/{id}', `/v1/webhooks/${webhook.id}`);

  const withJsonBody = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op.requestBody?.content['application/json'])
      .map(([method]) => `${method} ${path}`),
  );
  expect(withJsonBody.filter((op) => !exercised.has(op))).toEqual([]);
});
