import { startTestSystem, type TestSystem } from '../support/test-system';
import { replayOffLoop } from '../../services/replay-pool';
import { UNLIMITED } from '../../db/database';
import type { Campaign } from '../../db/campaigns';
import { addCodes, addMembers, anyoneRule, createCampaign, createCodeEventSchema, goldRule, postEvent } from '../support/campaign-setup';

let system: TestSystem;
const TABLES = ['codes', 'code_history', 'members', 'point_transactions', 'campaigns', 'redemption_events', 'outbox', 'idempotency_keys'];

/**
 * A fingerprint of every row the redemption path could touch. The outbox is read without `dispatched_at`: the
 * worker's relay sets it on its own schedule for the campaign's lifecycle messages, which the simulator never writes.
 */
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const rowsOf = table === 'outbox' ? '(select id, type, payload, created_at from outbox)' : table;
    const { rows } = await system.db.query(`select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${rowsOf} t`);
    out[table] = rows[0].h;
  }
  return out;
}

beforeAll(async () => {
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '2' } });
  await createCodeEventSchema(system);
  await createCampaign(system, 'sim', {
    rules: [goldRule],
    frequency: { count: 1, period: 'month' },
    budget: { kind: 'points', cap: 1000 },
  });
  await addCodes(system, 'sim', ['SIM0001', 'SIM0002', 'SIM0003']);
  await addMembers(system, ['sim-gold'], { tier: 'gold' });
  await addMembers(system, ['sim-silver'], { tier: 'silver' });
});
afterAll(() => system?.stop());

const simulate = (body: Record<string, unknown>, id = 'sim') =>
  system.api.post(`/v1/campaigns/${id}/simulate`).set(system.as('marketer')).send(body);
const replay = (body: Record<string, unknown>) => system.api.post('/v1/campaigns/sim/replay').set(system.as('marketer')).send(body);

describe('simulate', () => {
  it('answers like POST /v1/events for a silver and a gold member, and changes no row', async () => {
    const before = await fingerprint();
    const silver = await simulate({ memberId: 'sim-silver', code: 'sim-0001' });
    expect(silver.status).toBe(200);
    expect(silver.body).toMatchObject({ simulated: true, outcome: 'rejected', reason: 'conditions_not_met', points: 0, campaignId: 'sim' });
    expect(silver.body.failedConditions[0]).toMatchObject({ fact: 'member', path: '$.tier', factValue: 'silver' });
    const gold = await simulate({ memberId: 'sim-gold', code: 'SIM0001', attributes: { store: 'paris' } });
    expect(gold.body).toMatchObject({
      simulated: true,
      outcome: 'redeemed',
      code: 'SIM0001',
      points: 100,
      effects: [{ type: 'add_points', points: 100 }],
    });
    // Guessing failures are not counted: more unknown codes than the lockout allows, still no 429.
    for (let i = 0; i < 4; i++) expect((await simulate({ memberId: 'sim-gold', code: `NOPE${i}` })).body.reason).toBe('unknown_code');
    expect(await fingerprint()).toEqual(before);
  });

  it('takes a typed profile, skips the code checks without a code, and tries a draft rule set', async () => {
    expect((await simulate({ member: { tier: 'gold' } })).body).toMatchObject({ outcome: 'redeemed', points: 100 });
    expect((await simulate({ member: { tier: 'bronze' } })).body).toMatchObject({ outcome: 'rejected', reason: 'conditions_not_met' });
    const draft = await simulate({ member: { tier: 'bronze' }, rules: [anyoneRule] });
    expect(draft.body).toMatchObject({ outcome: 'redeemed', points: 10 });
  });

  it('sees the code, the member and the frequency limit as a real event would', async () => {
    expect((await postEvent(system, 'sim-real-1', 'sim-gold', 'SIM0002')).body.outcome).toBe('redeemed');
    expect((await simulate({ memberId: 'sim-gold', code: 'SIM0002' })).body.reason).toBe('code_used');
    expect((await simulate({ memberId: 'sim-gold', code: 'SIM0003' })).body.reason).toBe('frequency_limit');
    expect((await simulate({ memberId: 'nobody' })).body.reason).toBe('member_unknown');
  });

  it('refuses bad input with a 4xx naming the field', async () => {
    const badRule = { ...goldRule, conditions: { all: [{ fact: 'member', operator: 'looksLike', value: 1 }] } };
    const bad = await simulate({ memberId: 'sim-gold', rules: [badRule] });
    expect([bad.status, bad.body.error.code, bad.body.error.field]).toEqual([400, 'invalid_rules', 'rules.0.conditions.all.0.operator']);
    expect((await simulate({ memberId: 'sim-gold', member: { tier: 'gold' } })).status).toBe(400);
    expect((await simulate({})).status).toBe(400);
    expect((await simulate({ memberId: 'sim-gold' }, 'no-such-campaign')).status).toBe(404);
    expect((await system.api.post('/v1/campaigns/sim/simulate').set(system.as('producer')).send({ memberId: 'x' })).status).toBe(403);
  });
});

describe('replay', () => {
  it("re-decides the campaign's recorded events with a draft rule set, writing nothing", async () => {
    await addMembers(system, ['replay-silver'], { tier: 'silver' });
    await addCodes(system, 'sim', ['SIMR0001']);
    expect((await postEvent(system, 'sim-real-2', 'replay-silver', 'SIMR0001')).body.reason).toBe('conditions_not_met');
    const before = await fingerprint();
    const res = await replay({ rules: [anyoneRule], limit: 10 });
    expect(res.status).toBe(200);
    expect(res.body.events).toBe(2);
    expect(res.body.memberProfiles).toBe('current');
    expect(res.body.current).toEqual({ redeemed: 1, rejected: 1, byReason: { conditions_not_met: 1 }, points: 100 });
    expect(res.body.draft).toEqual({ redeemed: 2, rejected: 0, byReason: {}, points: 20 });
    expect(res.body.budgetUsed).toEqual({ current: 100, draft: 20 });
    expect(res.body.changed).toEqual([
      {
        eventId: 'sim-real-1',
        memberId: 'sim-gold',
        current: { outcome: 'redeemed', reason: null, points: 100 },
        draft: { outcome: 'redeemed', reason: null, points: 10 },
      },
      {
        eventId: 'sim-real-2',
        memberId: 'replay-silver',
        current: { outcome: 'rejected', reason: 'conditions_not_met', points: 0 },
        draft: { outcome: 'redeemed', reason: null, points: 10 },
      },
    ]);
    expect(await fingerprint()).toEqual(before);
  });

  it('reads events past its first page in the order they were decided, with members first met on a later page', async () => {
    // The thread reads the events through a cursor 500 at a time (services/replay-thread.ts): 1,201 events are three pages.
    await createCampaign(system, 'paged', { rules: [goldRule], frequency: { count: 1, period: 'month' } });
    await addMembers(system, ['paged-gold', 'paged-late'], { tier: 'gold' });
    await system.db.query(
      `insert into redemption_events (event_id, api_key, campaign_id, member_id, code, outcome, reason, result, points, attributes, created_at)
       select 'paged-' || lpad(g::text, 4, '0'), 'test', 'paged', case when g = 1200 then 'paged-late' else 'paged-gold' end, null,
              'rejected', 'conditions_not_met', '{}', 0, '{}', now() - interval '30 minutes' + g * interval '1 second'
         from generate_series(0, 1200) g`,
    );
    const res = await system.api
      .post('/v1/campaigns/paged/replay')
      .set(system.as('marketer'))
      .send({ rules: [goldRule], limit: 1201 });
    expect(res.status).toBe(200);
    expect(res.body.events).toBe(1201);
    // Once a month per member: the oldest event of paged-gold and the one of paged-late (found on the last page) redeem.
    expect(res.body.draft).toEqual({ redeemed: 2, rejected: 1199, byReason: { frequency_limit: 1199 }, points: 200 });
    expect(res.body.changed[0]).toEqual({
      eventId: 'paged-0000',
      memberId: 'paged-gold',
      current: { outcome: 'rejected', reason: 'conditions_not_met', points: 0 },
      draft: { outcome: 'redeemed', reason: null, points: 100 },
    });
    expect(res.body.changed.map((c: { eventId: string }) => c.eventId)).toEqual(
      Array.from({ length: 100 }, (_, i) => `paged-${String(i).padStart(4, '0')}`),
    );
  });

  it("keeps a database error's code across the thread (what makes the API answer 503 rather than 500)", async () => {
    const nowhere = { url: 'postgres://nobody:none@127.0.0.1:1/none', limits: UNLIMITED };
    const error = await replayOffLoop(nowhere, { campaign: { id: 'sim' } as Campaign, rules: [], limit: 1 }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses a limit out of range and an operator key', async () => {
    expect((await replay({ rules: [anyoneRule], limit: 10_001 })).status).toBe(400);
    expect(
      (
        await system.api
          .post('/v1/campaigns/sim/replay')
          .set(system.as('operator'))
          .send({ rules: [anyoneRule] })
      ).status,
    ).toBe(403);
  });
});

describe('the event log', () => {
  it('finds decided events by member, code, campaign and time, and shows one with its attempt in the code history', async () => {
    const op = system.as('operator');
    const byMember = await system.api.get('/v1/events?memberId=sim-gold').set(op);
    expect(byMember.body.items.map((e: { eventId: string }) => e.eventId)).toEqual(['sim-real-1']);
    expect(byMember.body.items[0]).toMatchObject({
      outcome: 'redeemed',
      code: 'SIM0002',
      campaignId: 'sim',
      points: 100,
      result: { outcome: 'redeemed' },
    });
    expect((await system.api.get('/v1/events?code=simr-0001').set(op)).body.items[0].eventId).toBe('sim-real-2');
    const all = await system.api.get('/v1/events?campaignId=sim&limit=1').set(op);
    expect(all.body.items).toHaveLength(1);
    const next = await system.api.get(`/v1/events?campaignId=sim&limit=1&cursor=${all.body.nextCursor}`).set(op);
    expect(next.body.items[0].eventId).not.toBe(all.body.items[0].eventId);
    expect((await system.api.get('/v1/events?from=2999-01-01T00:00:00Z').set(op)).body.items).toEqual([]);
    const one = await system.api.get('/v1/events/sim-real-2').set(op);
    expect(one.body).toMatchObject({
      eventId: 'sim-real-2',
      reason: 'conditions_not_met',
      history: [{ code: 'SIMR0001', kind: 'redemption_attempt', outcome: 'rejected', reason: 'conditions_not_met' }],
    });
    expect((await system.api.get('/v1/events/nope').set(op)).status).toBe(404);
    expect((await system.api.get('/v1/events?cursor=zzz').set(op)).status).toBe(400);
  });
});
