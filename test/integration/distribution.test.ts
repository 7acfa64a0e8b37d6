import { randomUUID } from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { codeStatus } from '../support/fixtures';

let system: TestSystem;
const marketer = () => system.as('marketer');

beforeAll(async () => {
  system = await startTestSystem({ env: { CODE_CHUNK_SIZE: '7' } }); // several chunks for a few dozen members
  await createCodeEventSchema(system);
});
afterAll(async () => system?.stop());

const finished = (id: string) =>
  eventually(async () => {
    const body = (await system.api.get(`/v1/distributions/${id}`).set(marketer())).body;
    return body.status === 'completed' || body.status === 'failed' ? body : null;
  }, 60_000);

const pool = (id: string) => ({ type: 'campaign', id });
const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

async function assignmentsOf(distributionId: string) {
  const { rows } = await system.db.query(
    `select a.member_id as "memberId", a.code, c.status, c.member_id as "holder" from distribution_assignments a join codes c on c.code = a.code
      where a.distribution_id = $1 order by a.member_id`,
    [distributionId],
  );
  return rows as Array<{ memberId: string; code: string; status: string; holder: string }>;
}

describe('a distribution to members chosen by a filter', () => {
  let distribution: { id: string };
  const gold = Array.from({ length: 30 }, (_, i) => `gold-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    await createCampaign(system, 'dist');
    await addCodes(
      system,
      'dist',
      Array.from({ length: 40 }, (_, i) => `DIST${String(i).padStart(3, '0')}`),
    );
    await addMembers(system, gold, { tier: 'gold', segments: ['vip'] });
    await addMembers(system, ['silver-1', 'silver-2'], { tier: 'silver', segments: ['vip'] });
    const res = await system.api
      .post('/v1/distributions')
      .set(marketer())
      .send({ pool: pool('dist'), audience: { type: 'filter', tier: 'gold', segments: ['vip'] }, expiresAt: '2030-01-01T00:00:00Z' });
    expect(res.status).toBe(202);
    distribution = res.body;
  });

  it('gives each member of the audience exactly one code, no code twice, with the expiry asked for', async () => {
    const done = await finished(distribution.id);
    expect(done).toMatchObject({ status: 'completed', members: 30, assigned: 30, skipped: 0 });
    const rows = await assignmentsOf(distribution.id);
    expect(rows.map((r) => r.memberId)).toEqual(gold);
    expect(new Set(rows.map((r) => r.code)).size).toBe(30);
    expect(rows.every((r) => r.status === 'assigned' && r.holder === r.memberId)).toBe(true);
    const { rows: expiries } = await system.db.query(`select distinct expires_at from codes where status = 'assigned'`);
    expect(expiries.map((r) => r.expires_at.toISOString())).toEqual(['2030-01-01T00:00:00.000Z']);
    expect((await system.db.query(`select count(*)::int as n from codes where member_id like 'silver%'`)).rows[0].n).toBe(0);
  });

  it('streams the member_id,code CSV and lists a member its codes', async () => {
    const csv = await system.api.get(`/v1/distributions/${distribution.id}/export`).set(marketer());
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toBe('member_id,code');
    const pairs = csvRows(csv.text);
    expect(pairs.map(([member]) => member)).toEqual(gold);
    const mine = await system.api.get(`/v1/members/gold-00/codes`).set(system.as('producer'));
    expect(mine.status).toBe(200);
    expect(mine.body.codes.map((c: { code: string }) => c.code)).toEqual([pairs[0][1]]);
    expect(mine.body.codes[0]).toMatchObject({ status: 'assigned', memberId: 'gold-00' });
    expect((await system.api.get(`/v1/members/nobody/codes`).set(marketer())).status).toBe(404);
  });

  it('lets only the member it was assigned to redeem a code; anyone else gets code_assigned_to_other', async () => {
    const [, code] = csvRows((await system.api.get(`/v1/distributions/${distribution.id}/export`).set(marketer())).text)[1];
    const other = await postEvent(system, 'steal-1', 'gold-00', code);
    expect(other.body).toMatchObject({ outcome: 'rejected', reason: 'code_assigned_to_other' });
    expect(await codeStatus(system.db, code)).toBe('assigned');
    const simulated = await system.api.post('/v1/campaigns/dist/simulate').set(marketer()).send({ memberId: 'silver-1', code });
    expect(simulated.body).toMatchObject({ outcome: 'rejected', reason: 'code_assigned_to_other' });
    const own = await postEvent(system, 'own-1', 'gold-01', code);
    expect(own.body).toMatchObject({ outcome: 'redeemed' });
    expect(await codeStatus(system.db, code)).toBe('redeemed');
  });

  it('is idempotent by its id: the same id again is the same distribution, another pool with it a conflict', async () => {
    const id = randomUUID();
    await addMembers(system, ['idem-1'], { tags: ['idem'] });
    const body = { id, pool: pool('dist'), audience: { type: 'filter', tags: ['idem'] } };
    const first = await system.api.post('/v1/distributions').set(marketer()).send(body);
    expect(first.status).toBe(202);
    await finished(id);
    const again = await system.api.post('/v1/distributions').set(marketer()).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, assigned: 1 });
    const clash = await system.api
      .post('/v1/distributions')
      .set(marketer())
      .send({ ...body, pool: pool('other') });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('distribution_id_taken');
    expect((await assignmentsOf(id)).length).toBe(1);
  });

  it('cancel returns the unredeemed codes to the pool and keeps the redeemed one', async () => {
    const res = await system.api.post(`/v1/distributions/${distribution.id}/cancel`).set(marketer()).send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', returned: 29 });
    const rows = await assignmentsOf(distribution.id);
    expect(rows.filter((r) => r.status === 'redeemed').length).toBe(1);
    expect(rows.filter((r) => r.status === 'unused' && r.holder === null).length).toBe(29);
    const { rows: expiries } = await system.db.query(
      `select count(*)::int as n from codes where status = 'unused' and expires_at is not null`,
    );
    expect(expiries[0].n).toBe(0); // their own (no) expiry is back
    expect((await system.api.get(`/v1/members/gold-02/codes`).set(marketer())).body.codes).toEqual([]);
    const twice = await system.api.post(`/v1/distributions/${distribution.id}/cancel`).set(marketer()).send({});
    expect(twice.body).toMatchObject({ status: 'cancelled', returned: 29 });
    expect((await system.api.get(`/v1/distributions/${distribution.id}/export`).set(marketer())).status).toBe(409);
  });
});

describe('a distribution to an uploaded member list', () => {
  beforeAll(async () => {
    await createCampaign(system, 'listed');
    await addCodes(
      system,
      'listed',
      Array.from({ length: 5 }, (_, i) => `LISTED${i}`),
    );
    await addMembers(system, ['l-1', 'l-2', 'l-3']);
  });

  it('assigns to each listed registered member once, leaving out unknown ids and repeats', async () => {
    const res = await system.api
      .post('/v1/distributions?pool=campaign:listed')
      .set(marketer())
      .set('Content-Type', 'text/csv')
      .send('member_id\nl-2\nl-1\nghost\nl-2\nl-3\n"bad\u0000id"\n"="\n');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ members: 3, skipped: 4, audience: { type: 'list' } });
    expect(await finished(res.body.id)).toMatchObject({ status: 'completed', assigned: 3 });
    expect((await assignmentsOf(res.body.id)).map((r) => r.memberId)).toEqual(['l-1', 'l-2', 'l-3']);
  });

  it('refuses up front, writing nothing, when the pool has fewer unused codes than members', async () => {
    await addMembers(
      system,
      Array.from({ length: 10 }, (_, i) => `many-${i}`),
      { tags: ['many'] },
    );
    const before = (await system.db.query(`select count(*)::int as n from distributions`)).rows[0].n;
    const res = await system.api
      .post('/v1/distributions')
      .set(marketer())
      .send({ pool: pool('listed'), audience: { type: 'filter', tags: ['many'] } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'not_enough_codes', field: 'pool' });
    expect((await system.db.query(`select count(*)::int as n from distributions`)).rows[0].n).toBe(before);
    expect((await system.db.query(`select count(*)::int as n from distribution_members`)).rows[0].n).toBe(0);
  });

  it('tops the pool up by generation first when asked, in the same workflow', async () => {
    const gen = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .send({ quantity: 2, length: 10, charset: 'alphanumeric', pool: pool('topped') });
    expect(gen.status).toBe(202);
    await eventually(async () => (await system.api.get(`/v1/code-batches/${gen.body.id}`).set(marketer())).body.status === 'completed');
    const res = await system.api
      .post('/v1/distributions')
      .set(marketer())
      .send({ pool: pool('topped'), audience: { type: 'filter', tags: ['many'] }, topUp: true });
    expect(res.status).toBe(202);
    const done = await finished(res.body.id);
    expect(done).toMatchObject({ status: 'completed', members: 10, assigned: 10 });
    const batch = await system.api.get(`/v1/code-batches/${done.topUpBatchId}`).set(marketer());
    expect(batch.body).toMatchObject({ requested: 8, generated: 8, status: 'completed' });
  });

  it('previews the counts a create would act on, and whether a top-up could cover the shortfall, writing nothing', async () => {
    const count = async (table: string) => (await system.db.query(`select count(*)::int as n from ${table}`)).rows[0].n;
    const before = [await count('distributions'), await count('distribution_members'), await count('code_batches')];
    const preview = (body: object) => system.api.post('/v1/distributions/preview').set(marketer()).send(body);
    const many = { type: 'filter', tags: ['many'] };
    // The listed pool holds 2 unused codes and was never generated; the topped pool was, and is used up.
    expect((await preview({ pool: pool('listed'), audience: many })).body).toEqual({
      members: 10,
      skipped: 0,
      unusedCodes: 2,
      shortfall: 8,
      topUp: 'no_generation_to_top_up',
    });
    expect((await preview({ pool: pool('topped'), audience: many })).body).toMatchObject({
      members: 10,
      shortfall: 10,
      topUp: 'available',
    });
    const listed = await system.api
      .post('/v1/distributions/preview?pool=campaign:listed')
      .set(marketer())
      .set('Content-Type', 'text/csv')
      .send('member_id\nl-1\nghost\nl-1\n');
    expect([listed.status, listed.body]).toEqual([200, { members: 1, skipped: 2, unusedCodes: 2, shortfall: 0, topUp: 'not_needed' }]);
    expect([await count('distributions'), await count('distribution_members'), await count('code_batches')]).toEqual(before);
    // Bad input: the create's own codes.
    expect((await preview({ pool: pool('listed') })).body.error.code).toBe('validation_failed');
    const noPool = await system.api
      .post('/v1/distributions/preview?pool=nope')
      .set(marketer())
      .set('Content-Type', 'text/csv')
      .send('member_id\n');
    expect([noPool.status, noPool.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await system.api.post('/v1/distributions/preview').set(system.as('producer')).send({})).status).toBe(403);
  });

  it('answers bad input with a 4xx and a stable code', async () => {
    const cases: Array<[() => Promise<{ status: number; body: { error: { code: string } } }>, number, string]> = [
      [
        () =>
          system.api
            .post('/v1/distributions')
            .set(marketer())
            .send({ pool: pool('listed') }),
        400,
        'validation_failed',
      ],
      [
        () => system.api.post('/v1/distributions?pool=nope').set(marketer()).set('Content-Type', 'text/csv').send('member_id\nl-1\n'),
        400,
        'validation_failed',
      ],
      [
        () => system.api.post('/v1/distributions?pool=campaign:listed').set(marketer()).set('Content-Type', 'text/csv').send('id\nl-1\n'),
        400,
        'invalid_csv',
      ],
      [
        () =>
          system.api
            .post('/v1/distributions')
            .set(marketer())
            .send({ pool: pool('listed'), audience: { type: 'filter', tier: 'nobody' } }),
        422,
        'empty_audience',
      ],
      [() => system.api.get('/v1/distributions/not-a-uuid').set(marketer()), 404, 'distribution_not_found'],
      [
        () => system.api.get(`/v1/members/l-1/codes?cursor=${Buffer.from('a\u0000').toString('base64url')}`).set(marketer()),
        400,
        'invalid_cursor',
      ],
      [
        () =>
          system.api
            .post('/v1/distributions?pool=campaign:listed&topUp=maybe')
            .set(marketer())
            .set('Content-Type', 'text/csv')
            .send('member_id\nl-1\n'),
        400,
        'validation_failed',
      ],
      [
        () =>
          system.api
            .post('/v1/distributions')
            .set(marketer())
            .send({ pool: pool('listed'), audience: { type: 'filter' }, expiresAt: 'soon' }),
        400,
        'validation_failed',
      ],
    ];
    for (const [call, status, code] of cases) {
      const res = await call();
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
    }
  });
});
