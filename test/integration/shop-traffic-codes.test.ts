import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { forgetCodeFamilies, insertCodeFamily } from '../../db/code-families';

/**
 * Issue 19: codes imported from a partner next to generated ones. A check-character family never hides a code
 * that exists: lookups, cancel, images and events find it; mistyped is answered only for a code that does not.
 */
let system: TestSystem;
const op = () => system.as('operator');
// Nine digits: the shape of a numeric length-8 Luhn family; most of them fail its check.
const imported = Array.from({ length: 20 }, (_, i) => String(123456700 + i * 37));

beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1000' } });
  await createCodeEventSchema(system);
  await createCampaign(system, 'partner');
  await insertCodeFamily(system.db, { prefix: '', suffix: '', alphabet: '0123456789', length: 8, scheme: 'luhn' });
  forgetCodeFamilies(system.db);
  await addCodes(system, 'partner', imported);
  await addMembers(
    system,
    imported.map((_, i) => `partner-member-${i}`),
  );
});
afterAll(() => system?.stop());

it('imported codes of a family’s shape are all found by GET /v1/codes/:code and their QR image', async () => {
  for (const code of imported) {
    expect((await system.api.get(`/v1/codes/${code}`).set(op())).status).toBe(200);
    expect((await system.api.get(`/v1/codes/${code}/qr.svg`).set(op())).status).toBe(200);
  }
});

it('an imported code that fails the family check can be cancelled', async () => {
  const res = await system.api.post(`/v1/codes/${imported[19]}/cancel`).set(op()).send({ reason: 'partner withdrew it' });
  expect([res.status, res.body.status]).toEqual([200, 'cancelled']);
});

it('events redeem every existing imported code; a code that does not exist and fails the check is mistyped', async () => {
  const outcomes = [];
  for (const [i, code] of imported.slice(0, 19).entries())
    outcomes.push((await postEvent(system, `partner-${i}`, `partner-member-${i}`, code)).body.outcome);
  expect(outcomes).toEqual(Array(19).fill('redeemed'));
  // 123456789 fails the Luhn check and does not exist; 123456782 passes it and does not exist.
  expect((await postEvent(system, 'typo', 'partner-member-0', '123456789')).body.reason).toBe('mistyped_code');
  expect((await postEvent(system, 'unknown', 'partner-member-0', '123456782')).body.reason).toBe('unknown_code');
  expect((await system.api.get('/v1/codes/123456789').set(op())).body.error.code).toBe('invalid_check_character');
});
