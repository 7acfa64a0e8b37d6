import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startTestSystem, KEYS, type TestSystem } from '../support/test-system';
import { addCodes as addPoolCodes, addMembersWithPoints, balanceOf, codeStatus } from '../support/fixtures';

/**
 * Issue 19: reward redemptions retried by a shop's backend never debit twice (a client reference); a code
 * cancelled while reserved is not assigned; a rollback of a fulfilled code gives points back and keeps it fulfilled.
 */
let system: TestSystem;
let server: Server;
let baseUrl: string;
const as = (role: 'marketer' | 'producer' | 'operator') => system.as(role);

async function createReward(id: string, pointsCost: number, codes: string[]) {
  const res = await system.api.post('/v1/rewards').set(as('marketer')).send({ type: 'coupon_based_reward', id, name: id, pointsCost });
  expect(res.status).toBe(201);
  await addPoolCodes(system.db, { type: 'reward', id }, codes);
}

beforeAll(async () => {
  system = await startTestSystem();
  server = system.app.listen(0);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await system?.stop();
});

it('a redemption retried with its reference (20 at once, then again) debits once and answers the same redemption', async () => {
  await createReward('mug', 40, ['MUG1', 'MUG2', 'MUG3']);
  await addMembersWithPoints(system.db, ['retrier'], 100);
  const post = () =>
    fetch(`${baseUrl}/v1/rewards/mug/redemptions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEYS.producer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ memberId: 'retrier', reference: 'order-77', attributes: {} }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string; code: string; reference: string } }));
  const answers = await Promise.all(Array.from({ length: 20 }, post));
  answers.push(await post());
  expect(answers.every((a) => a.status === 201)).toBe(true);
  expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  expect(answers[0].body.reference).toBe('order-77');
  expect(await balanceOf(system.db, 'retrier')).toBe(60);
  // The reference for another reward or member is refused, and changes nothing.
  await addMembersWithPoints(system.db, ['other-buyer'], 100);
  const reused = await system.api
    .post('/v1/rewards/mug/redemptions')
    .set(as('producer'))
    .send({ memberId: 'other-buyer', reference: 'order-77', attributes: {} });
  expect([reused.status, reused.body.error.code]).toEqual([409, 'reference_reused']);
  expect(await balanceOf(system.db, 'other-buyer')).toBe(100);
  // Without a reference, every call is a new redemption (as before).
  const plain = await system.api.post('/v1/rewards/mug/awards').set(as('producer')).send({ memberId: 'retrier', attributes: {} });
  expect(plain.status).toBe(201);
});

it('a code cancelled while reserved is not assigned: 409, nothing debited', async () => {
  await createReward('hat', 10, ['HAT1']);
  await addMembersWithPoints(system.db, ['hat-buyer'], 10);
  const reservation = await system.api.post('/v1/rewards/hat/reservations').set(as('producer')).send({ expiresInSeconds: 600 });
  expect(reservation.status).toBe(201);
  const cancel = await system.api.post('/v1/codes/HAT1/cancel').set(as('operator')).send({ reason: 'damaged stock' });
  expect(cancel.status).toBe(200);
  const assign = await system.api
    .post(`/v1/redemptions/${reservation.body.id}/assign`)
    .set(as('producer'))
    .send({ memberId: 'hat-buyer', as: 'redemption' });
  expect([assign.status, assign.body.error.code]).toEqual([409, 'code_not_reserved']);
  expect(await codeStatus(system.db, 'HAT1')).toBe('cancelled');
  expect(await balanceOf(system.db, 'hat-buyer')).toBe(10);
});

it('a rollback of a fulfilled code gives the points back and keeps the code fulfilled', async () => {
  await createReward('lamp', 25, ['LAMP1']);
  await addMembersWithPoints(system.db, ['lamp-buyer'], 25);
  const redeemed = await system.api
    .post('/v1/rewards/lamp/redemptions')
    .set(as('producer'))
    .send({ memberId: 'lamp-buyer', attributes: {} });
  expect(redeemed.status).toBe(201);
  await system.db.query(`update codes set status = 'fulfilled' where code = 'LAMP1'`); // the goods went out
  const rollback = await system.api.post(`/v1/redemptions/${redeemed.body.id}/rollback`).set(as('operator')).send({ reason: 'refund' });
  expect([rollback.status, rollback.body.status]).toEqual([200, 'rolled_back']);
  expect(await balanceOf(system.db, 'lamp-buyer')).toBe(25);
  expect(await codeStatus(system.db, 'LAMP1')).toBe('fulfilled');
});
