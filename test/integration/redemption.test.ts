import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, goldRule, postEvent } from '../support/campaign-setup';

let system: TestSystem;
beforeAll(async () => {
  // Lockout is tested on its own system: here guessing failures must not lock the producer key out.
  system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' } });
  await createCodeEventSchema(system);
  await createCodeEventSchema(system, 'receipt_scanned');
  await addMembers(system, ['gold-1', 'gold-2'], {
    tier: 'gold',
    segments: ['vip'],
    tags: ['newsletter', 'app'],
    enrolledAt: '2024-05-01',
  });
  await addMembers(system, ['silver-1'], { tier: 'silver', segments: ['students'], tags: ['app'], enrolledAt: '2019-01-01' });
});
afterAll(() => system?.stop());

const codeStatus = async (code: string) => (await system.db.query(`select status from codes where code = $1`, [code])).rows[0]?.status;
const balance = async (member: string) =>
  Number((await system.db.query(`select balance from members where id = $1`, [member])).rows[0].balance);

it('redeems a code: code redeemed, points booked, attempt in the code history, counted in the stats', async () => {
  await createCampaign(system, 'summer', { rules: [goldRule], budget: { kind: 'points', cap: 10_000 } });
  await addCodes(system, 'summer', ['SUMMER0001', 'SUMMER0002']);
  const res = await postEvent(system, 'ev-ok-1', 'gold-1', 'summer-0001', { store: 'paris' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    outcome: 'redeemed',
    campaignId: 'summer',
    code: 'SUMMER0001',
    effects: [{ type: 'add_points', points: 100 }],
  });
  expect(await codeStatus('SUMMER0001')).toBe('redeemed');
  expect(await balance('gold-1')).toBe(100);
  const tx = await system.api.get('/v1/members/gold-1/transactions').set(system.as('operator'));
  expect(tx.body.transactions).toEqual([
    expect.objectContaining({
      kind: 'credit',
      points: 100,
      source: 'campaign:summer',
      reference: expect.stringMatching(/^event:producer:[0-9a-f]{12}:ev-ok-1:effect:0$/),
    }),
  ]);
  const code = await system.api.get('/v1/codes/SUMMER0001').set(system.as('operator'));
  expect(code.body.history).toEqual([
    expect.objectContaining({ kind: 'redemption_attempt', eventId: 'ev-ok-1', memberId: 'gold-1', outcome: 'redeemed' }),
  ]);
  const stats = await system.api.get('/v1/campaigns/summer/stats').set(system.as('marketer'));
  expect(stats.body).toMatchObject({
    codes: { total: 2, redeemed: 1, unused: 1 },
    redemptions: 1,
    pointsIssued: 100,
    budget: { used: 100, left: 9900 },
  });
});

describe('every rejection reason, each leaving the code unused', () => {
  beforeAll(async () => {
    await createCampaign(system, 'draft', { status: 'draft' });
    await createCampaign(system, 'future', { startsAt: '2099-01-01T00:00:00Z' });
    await createCampaign(system, 'past', { startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-12-31T00:00:00Z' });
    await createCampaign(system, 'platinum-only', { visibility: { type: 'tiers', tiers: ['platinum'] } });
    await createCampaign(system, 'receipts', { trigger: { event: 'receipt_scanned', codeAttribute: 'code' } });
    await createCampaign(system, 'gold-only', { rules: [goldRule] });
    await createCampaign(system, 'monthly', { frequency: { count: 1, period: 'month' } });
    await createCampaign(system, 'one-budget', { budget: { kind: 'redemptions', cap: 1 } });
    for (const id of ['draft', 'future', 'past', 'platinum-only', 'receipts', 'gold-only', 'monthly', 'one-budget']) {
      await addCodes(system, id, [`${id.replace('-', '').toUpperCase()}1`, `${id.replace('-', '').toUpperCase()}2`]);
    }
    await system.db.query(`update codes set status = 'cancelled' where code = 'DRAFT2'`);
  });

  it.each([
    ['unknown_code', 'gold-1', 'NOPE9999'],
    ['code_used', 'gold-2', 'SUMMER0001'],
    ['code_cancelled', 'gold-1', 'DRAFT2'],
    ['wrong_campaign', 'gold-1', 'RECEIPTS1'],
    ['campaign_inactive', 'gold-1', 'DRAFT1'],
    ['not_started', 'gold-1', 'FUTURE1'],
    ['ended', 'gold-1', 'PAST1'],
    ['member_unknown', 'nobody', 'GOLDONLY1'],
    ['not_visible', 'gold-1', 'PLATINUMONLY1'],
    ['conditions_not_met', 'silver-1', 'GOLDONLY1'],
  ])('%s', async (reason, member, code) => {
    const before = await codeStatus(code);
    const res = await postEvent(system, `ev-${reason}`, member, code);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'rejected', reason });
    expect(await codeStatus(code)).toBe(before);
  });

  it('conditions_not_met names the failing condition and the fact value it saw', async () => {
    const res = await postEvent(system, 'ev-cond-2', 'silver-1', 'GOLDONLY2');
    expect(res.body.failedConditions).toEqual([
      { rule: 'gold members', fact: 'member', path: '$.tier', operator: 'in', value: ['gold'], factValue: 'silver' },
    ]);
  });

  it('frequency_limit and budget_exhausted', async () => {
    expect((await postEvent(system, 'ev-freq-1', 'gold-1', 'MONTHLY1')).body.outcome).toBe('redeemed');
    expect((await postEvent(system, 'ev-freq-2', 'gold-1', 'MONTHLY2')).body).toMatchObject({
      outcome: 'rejected',
      reason: 'frequency_limit',
    });
    expect((await postEvent(system, 'ev-budget-1', 'gold-1', 'ONEBUDGET1')).body.outcome).toBe('redeemed');
    expect((await postEvent(system, 'ev-budget-2', 'gold-2', 'ONEBUDGET2')).body).toMatchObject({
      outcome: 'rejected',
      reason: 'budget_exhausted',
    });
    expect(await codeStatus('ONEBUDGET2')).toBe('unused');
    const stats = await system.api.get('/v1/campaigns/one-budget/stats').set(system.as('operator'));
    expect(stats.body).toMatchObject({
      redemptions: 1,
      rejections: { budget_exhausted: 1 },
      budget: { kind: 'redemptions', cap: 1, used: 1, left: 0 },
    });
  });
});

describe('conditions', () => {
  const rule = (conditions: object) => [{ name: 'r', conditions, effects: [{ type: 'add_points', points: 1 }] }];
  it.each([
    ['segment', { all: [{ fact: 'member', path: '$.segments', operator: 'containsAnyOf', value: ['vip', 'staff'] }] }],
    ['all tags', { all: [{ fact: 'member', path: '$.tags', operator: 'containsAllOf', value: ['newsletter', 'app'] }] }],
    [
      'enrolment between two dates',
      { all: [{ fact: 'member', path: '$.enrolledAt', operator: 'between', value: ['2024-01-01', '2024-12-31'] }] },
    ],
    ['an event attribute', { all: [{ fact: 'event', path: '$.attributes.amount', operator: 'greaterThanInclusive', value: 50 }] }],
    [
      'any of two',
      {
        any: [
          { fact: 'member', path: '$.tier', operator: 'equal', value: 'platinum' },
          { fact: 'event', path: '$.attributes.store', operator: 'equal', value: 'paris' },
        ],
      },
    ],
  ])('%s: gold-1 passes, silver-1 does not', async (name, conditions) => {
    const id = `cond-${name.replace(/\W+/g, '-')}`;
    await createCampaign(system, id, { rules: rule(conditions) });
    const prefix = id.replace(/\W/g, '').toUpperCase().slice(0, 20);
    await addCodes(system, id, [`${prefix}A`, `${prefix}B`]);
    const attrs = { amount: 75, store: 'paris' };
    expect((await postEvent(system, `${id}-gold`, 'gold-1', `${prefix}A`, attrs)).body.outcome).toBe('redeemed');
    const silver = await postEvent(system, `${id}-silver`, 'silver-1', `${prefix}B`, { amount: 20, store: 'lyon' });
    expect(silver.body).toMatchObject({ outcome: 'rejected', reason: 'conditions_not_met' });
  });
});

describe('events checked against their schema', () => {
  it.each([
    [{ name: 'nope', attributes: { code: 'X' } }, 422, 'unknown_event', 'name'],
    [{ name: 'code_entered', attributes: { code: 'X', colour: 'red' } }, 400, 'unknown_attribute', 'attributes.colour'],
    [{ name: 'code_entered', attributes: { code: 'X', amount: 'ten' } }, 400, 'wrong_attribute_type', 'attributes.amount'],
    [{ name: 'code_entered', attributes: {} }, 400, 'missing_attribute', 'attributes.code'],
    [{ name: 'code_entered', attributes: { code: 'X' }, extra: 1 }, 400, 'unknown_field', 'extra'],
  ])('%j → %i %s', async (body, status, code, field) => {
    const res = await system.api
      .post('/v1/events')
      .set(system.as('producer'))
      .send({ id: `bad-${code}`, memberId: 'gold-1', ...body });
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
  });

  it('refuses events of an inactive schema, and non-producers', async () => {
    await system.api
      .post('/v1/event-schemas')
      .set(system.as('marketer'))
      .send({ name: 'old_event', attributes: [{ name: 'code', type: 'text' }] });
    await system.api.patch('/v1/event-schemas/old_event').set(system.as('marketer')).send({ active: false });
    const res = await system.api
      .post('/v1/events')
      .set(system.as('producer'))
      .send({ id: 'old-1', name: 'old_event', memberId: 'gold-1', attributes: { code: 'X' } });
    expect([res.status, res.body.error.code]).toEqual([422, 'event_schema_inactive']);
    expect(
      (
        await system.api
          .post('/v1/events')
          .set(system.as('marketer'))
          .send({ id: 'm-1', name: 'code_entered', memberId: 'gold-1', attributes: { code: 'X' } })
      ).status,
    ).toBe(403);
  });
});

describe('campaigns are checked when saved', () => {
  const base = { name: 'x', trigger: { event: 'code_entered', codeAttribute: 'code' }, rules: [goldRule] };
  it.each([
    [
      { rules: [{ ...goldRule, conditions: { all: [{ fact: 'member', operator: 'looksLike', value: 1 }] } }] },
      'invalid_rules',
      'rules.0.conditions.all.0.operator',
    ],
    [
      { rules: [{ ...goldRule, conditions: { all: [{ fact: 'weather', operator: 'equal', value: 1 }] } }] },
      'invalid_rules',
      'rules.0.conditions.all.0.fact',
    ],
    [
      { rules: [{ ...goldRule, conditions: { all: [{ fact: 'member', operator: 'between', value: 3 }] } }] },
      'invalid_rules',
      'rules.0.conditions.all.0.value',
    ],
    [{ rules: [{ ...goldRule, conditions: [1, 2] }] }, 'invalid_rules', 'rules.0.conditions'],
    [
      {
        rules: [
          {
            ...goldRule,
            conditions: JSON.parse(
              '{"all":[' + '{"all":['.repeat(12) + '{"fact":"member","operator":"equal","value":1}' + ']}'.repeat(12) + ']}',
            ),
          },
        ],
      },
      'invalid_rules',
      undefined,
    ],
    [{ startsAt: '2026-12-31T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }, 'validation_failed', 'endsAt'],
    [{ trigger: { event: 'ghost', codeAttribute: 'code' } }, 'unknown_event_schema', 'trigger.event'],
    [{ trigger: { event: 'code_entered', codeAttribute: 'amount' } }, 'invalid_trigger', 'trigger.codeAttribute'],
    [{ rules: [{ ...goldRule, effects: [{ type: 'add_points', points: -5 }] }] }, 'validation_failed', 'rules.0.effects.0.points'],
  ])('%j → %s', async (fields, code, field) => {
    const res = await system.api
      .post('/v1/campaigns')
      .set(system.as('marketer'))
      .send({ id: `bad-${Math.random().toString(36).slice(2)}`, ...base, ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    if (field) expect(res.body.error.field).toBe(field);
  });

  it('refuses a duplicate id and validates a change as a whole', async () => {
    expect(
      (
        await system.api
          .post('/v1/campaigns')
          .set(system.as('marketer'))
          .send({ id: 'summer', ...base })
      ).status,
    ).toBe(409);
    const bad = await system.api
      .patch('/v1/campaigns/summer')
      .set(system.as('marketer'))
      .send({ startsAt: '2026-01-01T00:00:00Z', endsAt: '2000-01-01T00:00:00Z' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'endsAt']);
    const ok = await system.api.patch('/v1/campaigns/summer').set(system.as('marketer')).send({ displayOrder: 3 });
    expect([ok.status, ok.body.displayOrder, ok.body.rules[0].name]).toEqual([200, 3, 'gold members']);
  });
});
