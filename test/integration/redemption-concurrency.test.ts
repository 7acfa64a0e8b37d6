import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startTestSystem, KEYS, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

// The first attempt of event "lost-reply" fails after its transaction committed, as if the API died before
// answering: the producer's retry (same event id) must find the event decided and book nothing more.
const lostReplies: string[] = [];
let system: TestSystem;
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  system = await startTestSystem({
    env: { LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' },
    faults: {
      redemption: {
        afterCommit: ({ eventId }, attempt) => {
          if (eventId === 'lost-reply' && attempt === 1) {
            lostReplies.push(eventId);
            throw new Error('reply lost after commit');
          }
        },
      },
    },
  });
  await createCodeEventSchema(system);
  server = system.app.listen(0);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await system?.stop();
});

/** Posts events over real HTTP, all at once. */
async function postAll(events: Array<{ id: string; memberId: string; code: string }>) {
  const responses = await Promise.all(
    events.map(async (e) => {
      const res = await fetch(`${baseUrl}/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEYS.producer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: e.id, name: 'code_entered', memberId: e.memberId, attributes: { code: e.code } }),
      });
      return { status: res.status, body: (await res.json()) as { outcome: string; reason?: string } };
    }),
  );
  const count = (f: (r: (typeof responses)[number]) => boolean) => responses.filter(f).length;
  return {
    responses,
    redeemed: count((r) => r.body.outcome === 'redeemed'),
    byReason: (reason: string) => count((r) => r.body.reason === reason),
  };
}

const ledgerCount = async (where: string, values: unknown[]) =>
  (await system.db.query(`select count(*)::int as n from point_transactions where ${where}`, values)).rows[0].n;

it('1,000 concurrent events redeeming one code: exactly one wins', async () => {
  await createCampaign(system, 'one-code');
  await addCodes(system, 'one-code', ['ONLYONE1']);
  const members = Array.from({ length: 1000 }, (_, i) => `racer-${i}`);
  await addMembers(system, members, { tier: 'gold' });
  const result = await postAll(members.map((m, i) => ({ id: `race-${i}`, memberId: m, code: 'ONLYONE1' })));
  expect(result.responses.every((r) => r.status === 200)).toBe(true);
  expect(result.redeemed).toBe(1);
  expect(result.byReason('code_used')).toBe(999);
  expect(await ledgerCount(`source = 'campaign:one-code'`, [])).toBe(1);
}, 300_000);

it('concurrent redemptions against a budget of 50 redemptions never overshoot', async () => {
  await createCampaign(system, 'budget-50', { budget: { kind: 'points', cap: 500 } }); // 10 points each: 50 fit
  const codes = Array.from({ length: 120 }, (_, i) => `BUDGET${String(i).padStart(4, '0')}`);
  await addCodes(system, 'budget-50', codes);
  await addMembers(
    system,
    codes.map((_, i) => `spender-${i}`),
  );
  const result = await postAll(codes.map((code, i) => ({ id: `budget-${i}`, memberId: `spender-${i}`, code })));
  expect(result.redeemed).toBe(50);
  expect(result.byReason('budget_exhausted')).toBe(70);
  const { rows } = await system.db.query(`select budget_used::int as used from campaigns where id = 'budget-50'`);
  expect(rows[0].used).toBe(500);
  expect(await ledgerCount(`source = 'campaign:budget-50'`, [])).toBe(50);
});

it('concurrent redemptions by one member against 1 per month: exactly one', async () => {
  await createCampaign(system, 'monthly-1', { frequency: { count: 1, period: 'month' } });
  const codes = Array.from({ length: 30 }, (_, i) => `MONTH${i}`);
  await addCodes(system, 'monthly-1', codes);
  await addMembers(system, ['greedy']);
  const result = await postAll(codes.map((code, i) => ({ id: `greedy-${i}`, memberId: 'greedy', code })));
  expect(result.redeemed).toBe(1);
  expect(result.byReason('frequency_limit')).toBe(29);
  expect(Number((await system.db.query(`select balance from members where id = 'greedy'`)).rows[0].balance)).toBe(10);
});

it('the same event id posted 20 times at once books once and answers the same every time', async () => {
  await createCampaign(system, 'dupes');
  await addCodes(system, 'dupes', ['DUPE1']);
  await addMembers(system, ['repeat']);
  const result = await postAll(Array.from({ length: 20 }, () => ({ id: 'same-event', memberId: 'repeat', code: 'DUPE1' })));
  expect(result.redeemed).toBe(20);
  expect(new Set(result.responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
  expect(await ledgerCount(`member_id = 'repeat'`, [])).toBe(1);
});

it('one event id posted at once with 10 different codes redeems one code, books once and answers the others 409', async () => {
  // The event row is written last (migration 1764300000000): each request redeems its own code first, and all but
  // the first to claim the id roll back (RG005) and find it decided for another body.
  const codes = Array.from({ length: 10 }, (_, i) => `REUSE${i}`);
  await createCampaign(system, 'reuse');
  await addCodes(system, 'reuse', codes);
  await addMembers(system, ['reuser']);
  const result = await postAll(codes.map((code) => ({ id: 'reused-event', memberId: 'reuser', code })));
  expect(result.redeemed).toBe(1);
  expect(result.responses.filter((r) => r.status === 409)).toHaveLength(9);
  expect(await ledgerCount(`member_id = 'reuser'`, [])).toBe(1);
  const { rows } = await system.db.query(
    `select status, count(*)::int as n from codes where code like 'REUSE%' group by status order by status`,
  );
  expect(rows).toEqual([
    { status: 'unused', n: 9 },
    { status: 'redeemed', n: 1 },
  ]);
});

it('a decision whose answer is lost after its commit is answered again on retry and books once', async () => {
  await createCampaign(system, 'lost');
  await addCodes(system, 'lost', ['LOSTREPLY1']);
  await addMembers(system, ['unlucky']);
  const lost = await postEvent(system, 'lost-reply', 'unlucky', 'LOSTREPLY1');
  expect(lost.status).toBe(500); // the answer never came; the producer sends the same event again
  const res = await postEvent(system, 'lost-reply', 'unlucky', 'LOSTREPLY1');
  expect(res.body).toMatchObject({ outcome: 'redeemed', code: 'LOSTREPLY1' });
  expect(lostReplies).toEqual(['lost-reply']);
  expect(await ledgerCount(`member_id = 'unlucky'`, [])).toBe(1);
  expect(Number((await system.db.query(`select balance from members where id = 'unlucky'`)).rows[0].balance)).toBe(10);
});

describe('failed-code guessing lockout', () => {
  let locked: TestSystem;
  beforeAll(async () => {
    locked = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '3', LOCKOUT_KEY_MIN_FAILURES: '3', LOCKOUT_WINDOW_SECONDS: '600' } });
    await createCodeEventSchema(locked);
    await createCampaign(locked, 'guarded');
    await addCodes(locked, 'guarded', ['REAL0001']);
    await addMembers(locked, ['guesser', 'honest']);
  });
  afterAll(() => locked?.stop());

  it('locks a member out after 3 failures with a 429 that does not tell whether the code exists', async () => {
    for (let i = 0; i < 3; i++) expect((await postEvent(locked, `guess-${i}`, 'guesser', `WRONG${i}`)).body.reason).toBe('unknown_code');
    const blockedReal = await postEvent(locked, 'guess-real', 'guesser', 'REAL0001');
    const blockedFake = await postEvent(locked, 'guess-fake', 'guesser', 'WRONG9');
    expect([blockedReal.status, blockedReal.body.error.code]).toEqual([429, 'too_many_attempts']);
    expect(blockedFake.body.error).toEqual(blockedReal.body.error);
    expect((await locked.db.query(`select status from codes where code = 'REAL0001'`)).rows[0].status).toBe('unused');
  });

  it('locks the API key out too, whoever the member', async () => {
    // The producer key's 3 attempts were all failures (the floor, and above the share): another member is refused too.
    const res = await postEvent(locked, 'honest-1', 'honest', 'REAL0001');
    expect(res.status).toBe(429);
  });
});
