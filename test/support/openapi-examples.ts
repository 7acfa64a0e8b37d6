import type { TestSystem } from './test-system';

/**
 * What the OpenAPI document's examples name, created on a fresh database, so that example requests (and
 * generated ones reusing example values) reach real logic: the event schema, the campaign, the member, the
 * reward with a code in its pool.
 */
export async function seedDocumentExamples(system: TestSystem): Promise<void> {
  const admin = system.as('admin');
  const ok = (res: { status: number; body: unknown }, what: string) => {
    if (res.status >= 300) throw new Error(`seeding ${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  ok(await system.api.post('/v1/event-schemas').set(admin).send({
    name: 'code_entered',
    attributes: [{ name: 'code', type: 'text', required: true }, { name: 'store', type: 'text' }, { name: 'amount', type: 'number' }],
  }), 'event schema');
  ok(await system.api.put('/v1/members/shop:10042').set(admin).send({ tier: 'gold' }), 'member');
}
