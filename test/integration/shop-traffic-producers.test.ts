import { startTestSystem, SECOND_PRODUCER_KEY, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/**
 * Issue 19: two shops choose the same order number as event id. Event ids belong to their producer: each shop's
 * event is decided on its own, no answer carries the other's member, code or effects, and a producer reusing an
 * id for another event gets 409 event_id_reused.
 */
let system: TestSystem;
const shopB = { Authorization: `Bearer ${SECOND_PRODUCER_KEY}` };
const postAsB = (id: string, memberId: string, code: string) =>
  system.api.post('/v1/events').set(shopB).send({ id, name: 'code_entered', memberId, attributes: { code } });

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'orders');
  await addCodes(system, 'orders', ['ALICECODE1', 'BOBCODE1']);
  await addMembers(system, ['alice', 'bob']);
});
afterAll(() => system?.stop());

it('two producers posting order-1001 each get their own decision; retries get their own stored outcome', async () => {
  const a = await postEvent(system, 'order-1001', 'alice', 'ALICECODE1');
  expect(a.body).toMatchObject({ outcome: 'redeemed', memberId: 'alice', code: 'ALICECODE1' });
  const b = await postAsB('order-1001', 'bob', 'BOBCODE1');
  expect(b.body).toMatchObject({ outcome: 'redeemed', memberId: 'bob', code: 'BOBCODE1' });
  expect(JSON.stringify(b.body)).not.toMatch(/alice|ALICECODE1/i);
  // Each retry answers its own producer's stored outcome, byte for byte.
  expect((await postAsB('order-1001', 'bob', 'BOBCODE1')).body).toEqual(b.body);
  expect((await postEvent(system, 'order-1001', 'alice', 'ALICECODE1')).body).toEqual(a.body);
  // Both booked their points, under references that name the producer.
  const { rows } = await system.db.query(`select member_id, reference from point_transactions order by member_id`);
  expect(rows.map((r: { member_id: string }) => r.member_id)).toEqual(['alice', 'bob']);
  expect(new Set(rows.map((r: { reference: string }) => r.reference)).size).toBe(2);
});

it('the same id from the same producer with another body answers 409 event_id_reused and changes nothing', async () => {
  const reused = await postAsB('order-1001', 'bob', 'ALICECODE1');
  expect([reused.status, reused.body.error.code]).toEqual([409, 'event_id_reused']);
  const other = await postEvent(system, 'order-1001', 'carol', 'BOBCODE1');
  expect([other.status, other.body.error.code]).toEqual([409, 'event_id_reused']);
});

it('GET /v1/events/:id asks which producer when two used the id, and answers each producer’s event', async () => {
  const op = system.as('operator');
  const ambiguous = await system.api.get('/v1/events/order-1001').set(op);
  expect([ambiguous.status, ambiguous.body.error.code]).toEqual([409, 'event_id_ambiguous']);
  const list = await system.api.get('/v1/events').query({ eventId: 'order-1001' }).set(op);
  const producers: string[] = list.body.items.map((e: { producer: string }) => e.producer);
  expect(producers).toHaveLength(2);
  for (const producer of producers) {
    const one = await system.api.get('/v1/events/order-1001').query({ producer }).set(op);
    expect(one.status).toBe(200);
    expect(one.body.history).toHaveLength(1);
    expect(one.body.history[0].actor).toBe(producer);
    expect(one.body.code).toBe(one.body.memberId === 'alice' ? 'ALICECODE1' : 'BOBCODE1');
  }
  // A rollback by that id needs the producer too, and rolls back only that producer's event.
  const rollback = (query = {}) =>
    system.api.post('/v1/redemptions/order-1001/rollback').query(query).set(op).send({ reason: 'order cancelled' });
  expect((await rollback()).body.error.code).toBe('event_id_ambiguous');
  const bobs = producers.find((p) => p !== list.body.items.find((e: { memberId: string }) => e.memberId === 'alice').producer)!;
  expect((await rollback({ producer: bobs })).status).toBe(200);
  const codes = await system.db.query(`select code, status from codes order by code`);
  expect(codes.rows).toEqual([
    { code: 'ALICECODE1', status: 'redeemed' },
    { code: 'BOBCODE1', status: 'unused' },
  ]);
});
