import type { TestSystem } from './test-system';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeRoutes } from '../../api/app';

type Doc = { components: { schemas: Record<string, { example?: Record<string, unknown> }> } };

/** The whole-body example of a request component of the OpenAPI document. */
export function documentExample(component: string): Record<string, unknown> {
  const example = (buildOpenApiDocument(describeRoutes) as unknown as Doc).components.schemas[component]?.example;
  if (!example) throw new Error(`the OpenAPI component ${component} has no example`);
  return example;
}

/**
 * What the OpenAPI document's examples name, created on a fresh database from those very examples, so that
 * example requests (and generated ones reusing example values) reach real logic: the event schema, the member,
 * the campaign with its codes, the reward with codes in its pool.
 */
export async function seedDocumentExamples(system: TestSystem): Promise<void> {
  const admin = system.as('admin');
  const ok = async (call: PromiseLike<{ status: number; body: unknown }>, what: string) => {
    const res = await call;
    if (res.status >= 300) throw new Error(`seeding ${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  await ok(system.api.post('/v1/event-schemas').set(admin).send(documentExample('EventSchemaInput')), 'event schema');
  await ok(system.api.put('/v1/members/shop:10042').set(admin).send(documentExample('MemberInput')), 'member');
  await ok(system.api.post('/v1/campaigns').set(admin).send(documentExample('CreateCampaignRequest')), 'campaign');
  const reward = await ok(system.api.post('/v1/rewards').set(admin).send(documentExample('RewardInput')), 'reward');
  await ok(
    system.api
      .post('/v1/code-batches')
      .set(admin)
      .send({ quantity: 100, length: 8, charset: 'numeric', pool: { type: 'reward', id: reward.id } }),
    'reward codes',
  );
}
