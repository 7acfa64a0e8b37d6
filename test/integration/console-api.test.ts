import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/** The API additions the console stands on: who am I, the keyspace dry check, jobs, the rules schema, a timeseries. */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { TEMPORAL_UI_URL: 'http://ui.test:8233' } });
  await createCodeEventSchema(system);
  await createCampaign(system, 'ts-campaign', {
    rules: [
      {
        name: 'gold',
        conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' }] },
        effects: [{ type: 'add_points', points: 7 }],
      },
    ],
  });
  await addCodes(system, 'ts-campaign', ['TSCODE0001', 'TSCODE0002', 'TSCODE0003']);
  await addMembers(system, ['ts-gold'], { tier: 'gold' });
  await addMembers(system, ['ts-silver'], { tier: 'silver' });
});
afterAll(() => system?.stop());

test('GET /v1/me names the role and the Temporal UI', async () => {
  for (const role of ['admin', 'marketer', 'operator', 'producer'] as const) {
    const res = await system.api.get('/v1/me').set(system.as(role));
    expect(res.body).toEqual({
      role,
      keyId: expect.stringMatching(new RegExp(`^${role}:[0-9a-f]{12}$`)),
      temporalUiUrl: 'http://ui.test:8233',
      temporalNamespace: 'default',
    });
  }
});

test('the keyspace check answers like a generation request would, and writes nothing', async () => {
  const tooSmall = await system.api
    .post('/v1/code-batches/keyspace-check')
    .set(system.as('marketer'))
    .send({ quantity: 100_000, length: 4, charset: 'numeric' });
  expect(tooSmall.status).toBe(200);
  expect(tooSmall.body).toMatchObject({
    ok: false,
    combinations: '10000',
    free: '10000',
    used: 0,
    maxQuantity: '100',
    minLength: 7,
    alphabetSize: 10,
  });
  expect(tooSmall.body.message).toContain('use a length of at least 7');
  const fits = await system.api
    .post('/v1/code-batches/keyspace-check')
    .set(system.as('marketer'))
    .send({ quantity: 100, length: 4, charset: 'numeric' });
  expect(fits.body).toMatchObject({ ok: true, maxQuantity: '100' });
  const refused = await system.api
    .post('/v1/code-batches')
    .set(system.as('marketer'))
    .send({ quantity: 101, length: 4, charset: 'numeric' });
  expect(refused.status).toBe(422); // the same verdict as the dry check's maxQuantity
  const bad = await system.api
    .post('/v1/code-batches/keyspace-check')
    .set(system.as('marketer'))
    .send({ quantity: 0, length: 4, charset: 'numeric' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('quantity');
  expect((await system.db.query('select count(*)::int as n from code_batches')).rows[0].n).toBe(0);
});

test('GET /v1/jobs lists generations and imports newest first, by pool, with keyset paging', async () => {
  const admin = system.as('admin');
  const a = await system.api
    .post('/v1/code-batches')
    .set(admin)
    .send({ quantity: 5, length: 10, charset: 'numeric', pool: { type: 'campaign', id: 'ts-campaign' } });
  const b = await system.api
    .post('/v1/code-imports?pool=campaign:ts-campaign')
    .set(admin)
    .set('Content-Type', 'text/csv')
    .send('code\nJOBIMPORT0001\n');
  const c = await system.api.post('/v1/code-batches').set(admin).send({ quantity: 5, length: 10, charset: 'numeric' });
  const page1 = await system.api.get('/v1/jobs?pool=campaign:ts-campaign&limit=1').set(system.as('operator'));
  expect(page1.status).toBe(200);
  expect(page1.body.jobs.map((j: { id: string }) => j.id)).toEqual([b.body.id]);
  const page2 = await system.api
    .get(`/v1/jobs?pool=campaign:ts-campaign&limit=1&cursor=${page1.body.nextCursor}`)
    .set(system.as('operator'));
  expect(page2.body.jobs.map((j: { id: string }) => j.id)).toEqual([a.body.id]);
  expect(page2.body.nextCursor).toBeNull();
  // The deprecated names of this version: before ← nextBefore, the same page.
  expect(page1.body.nextBefore).toBe(page1.body.nextCursor);
  const oldWay = await system.api
    .get(`/v1/jobs?pool=campaign:ts-campaign&limit=1&before=${page1.body.nextBefore}`)
    .set(system.as('operator'));
  expect(oldWay.body.jobs.map((j: { id: string }) => j.id)).toEqual([a.body.id]); // ids: the job itself runs meanwhile
  const bank = await system.api.get('/v1/jobs?pool=bank&source=generation').set(system.as('marketer'));
  expect(bank.body.jobs.map((j: { id: string }) => j.id)).toEqual([c.body.id]);
  const refusals: Array<[string, string]> = [
    ['cursor=nonsense', 'cursor'],
    ['before=nonsense', 'before'],
    [`cursor=${page1.body.nextCursor}&before=${page1.body.nextCursor}`, 'before'],
  ];
  for (const [query, field] of refusals) {
    const refused = await system.api.get(`/v1/jobs?${query}`).set(system.as('marketer'));
    expect([refused.status, refused.body.error.code, refused.body.error.field]).toEqual([400, 'invalid_cursor', field]);
  }
});

test('the rules JSON Schema knows the facts, operators and effects', async () => {
  const res = await system.api.get('/v1/schemas/campaign-rules.json').set(system.as('marketer'));
  const text = JSON.stringify(res.body);
  expect(res.body.type).toBe('array');
  for (const word of ['"member"', '"event"', '"containsAnyOf"', '"between"', '"add_points"', '"issue_coupon"'])
    expect(text).toContain(word);
});

test('the timeseries counts redemptions and rejections by reason per bucket, like /stats', async () => {
  expect((await postEvent(system, 'ts-1', 'ts-gold', 'TSCODE0001')).body.outcome).toBe('redeemed');
  expect((await postEvent(system, 'ts-2', 'ts-silver', 'TSCODE0002')).body.reason).toBe('conditions_not_met');
  expect((await postEvent(system, 'ts-3', 'ts-gold', 'TSCODE0001')).body.outcome).toBe('rejected');
  const stats = (await system.api.get('/v1/campaigns/ts-campaign/stats').set(system.as('marketer'))).body;
  for (const bucket of ['hour', 'day']) {
    const res = await system.api.get(`/v1/campaigns/ts-campaign/stats/timeseries?bucket=${bucket}`).set(system.as('marketer'));
    expect(res.status).toBe(200);
    expect(res.body.points).toHaveLength(1);
    const [point] = res.body.points;
    expect(point.redeemed).toBe(stats.redemptions);
    expect(point.points).toBe(stats.pointsIssued);
    expect(point.rejected).toEqual(stats.rejections);
  }
  const past = await system.api
    .get('/v1/campaigns/ts-campaign/stats/timeseries?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')
    .set(system.as('marketer'));
  expect(past.body.points).toEqual([]);
  const tooMany = await system.api
    .get('/v1/campaigns/ts-campaign/stats/timeseries?bucket=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')
    .set(system.as('marketer'));
  expect(tooMany.status).toBe(400);
  expect((await system.api.get('/v1/campaigns/nope/stats/timeseries').set(system.as('marketer'))).status).toBe(404);
});
