import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/**
 * Issue 10.2: a code of a check-character family whose check character fails is refused as mistyped before
 * any lookup (422 invalid_check_character; event rejection mistyped_code), and counts toward the lockout.
 */
let system: TestSystem;
const op = () => system.as('operator');
let good: string;
let mistyped: string;

/** One substitution of the last random symbol: a damm check catches every one. */
function mistype(code: string, prefixLength: number, length: number): string {
  const i = prefixLength + length - 1;
  const c = code[i] === '7' ? '3' : '7';
  return code.slice(0, i) + c + code.slice(i + 1);
}

beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '3' } });
  await createCodeEventSchema(system);
  await createCampaign(system, 'typos');
  const res = await system.api
    .post('/v1/code-batches')
    .set(op())
    .send({ quantity: 20, length: 6, charset: 'numeric', prefix: 'TY', checkCharacter: 'damm', pool: { type: 'campaign', id: 'typos' } });
  expect(res.status).toBe(202);
  await eventually(async () => (await system.api.get(`/v1/code-batches/${res.body.id}`).set(op())).body.status === 'completed');
  const { rows } = await system.db.query(`select code from codes order by code limit 1`);
  good = rows[0].code;
  mistyped = mistype(good, 2, 6);
  await addMembers(system, ['m-typo', 'm-other']);
});
afterAll(() => system?.stop());

describe('lookups', () => {
  it.each([
    ['GET /v1/codes/:code', (code: string) => system.api.get(`/v1/codes/${code}`)],
    ['GET /v1/codes/:code/qr.svg', (code: string) => system.api.get(`/v1/codes/${code}/qr.svg`)],
    ['POST /v1/codes/:code/cancel', (code: string) => system.api.post(`/v1/codes/${code}/cancel`).send({ reason: 'test' })],
  ])('%s answers 422 invalid_check_character for a mistyped code, whether or not such a code exists', async (_name, call) => {
    const res = await call(mistyped).set(op());
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_check_character', field: 'code' });
    expect(res.body.error.message).toMatch(/re-check/);
  });

  it('a correct code, in any case and spacing, is found; a code of another shape is looked up as today', async () => {
    expect((await system.api.get(`/v1/codes/${good.toLowerCase().replace(/^(..)/, '$1-')}`).set(op())).status).toBe(200);
    const other = await system.api.get(`/v1/codes/${good}0`).set(op());
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('code_not_found');
  });
});

describe('events', () => {
  it('a mistyped code is rejected as mistyped_code with a message to re-check it, and counts toward the lockout', async () => {
    const first = await postEvent(system, 'typo-1', 'm-typo', mistyped.toLowerCase());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'rejected', reason: 'mistyped_code' });
    expect(first.body.message).toMatch(/re-check/);
    expect(first.body.campaignId).toBeUndefined();
    await postEvent(system, 'typo-2', 'm-typo', mistyped);
    await postEvent(system, 'typo-3', 'm-typo', mistyped);
    // Locked out now, even for a good code.
    const locked = await postEvent(system, 'typo-4', 'm-typo', good);
    expect(locked.status).toBe(429);
    // Another member through another key (lockouts count per key too) redeems the good code.
    const ok = await system.api
      .post('/v1/events')
      .set(system.as('admin'))
      .send({ id: 'good-1', name: 'code_entered', memberId: 'm-other', attributes: { code: good } });
    expect(ok.body).toMatchObject({ outcome: 'redeemed' });
  });
});
