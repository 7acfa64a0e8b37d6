import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { addCodes, addMembers, addMembersWithPoints } from '../support/fixtures';
import { compactPoolCounts, ownedPoolStatusCounts } from '../../db/code-pool-counts';

// The per-pool counts kept by triggers on `codes` (migration code-pool-counts) must always equal a count over
// the codes themselves, whatever wrote them: COPY, insert-select, single-row and many-row updates, concurrently.
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { CODE_CHUNK_SIZE: '250', LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' } });
  await createCodeEventSchema(system);
  await createCampaign(system, 'counted');
  await createCampaign(system, 'neighbour');
  const reward = await system.api
    .post('/v1/rewards')
    .set(system.as('marketer'))
    .send({ id: 'prize', name: 'Prize', type: 'coupon_based_reward', pointsCost: 10 });
  expect(reward.status).toBe(201);
});
afterAll(() => system?.stop());

const op = () => system.as('operator');
const pools: Array<['campaign' | 'reward', string]> = [
  ['campaign', 'counted'],
  ['campaign', 'neighbour'],
  ['reward', 'prize'],
];

async function countedDirectly(kind: string, owner: string): Promise<Record<string, number>> {
  const { rows } = await system.db.query(
    `select status, count(*)::float8 as n from codes
      where pool_id = (select id from code_pools where kind = $1 and owner_id = $2) group by status`,
    [kind, owner],
  );
  return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
}

async function expectCountsExact(): Promise<void> {
  for (const [kind, owner] of pools) {
    expect({ kind, owner, counts: await ownedPoolStatusCounts(system.db, kind, owner) }).toEqual({
      kind,
      owner,
      counts: await countedDirectly(kind, owner),
    });
  }
  const direct = await countedDirectly('campaign', 'counted');
  const stats = await system.api.get('/v1/campaigns/counted/stats').set(op());
  expect(stats.body.codes).toMatchObject({
    total: Object.values(direct).reduce((a, b) => a + b, 0),
    unused: direct.unused ?? 0,
    redeemed: direct.redeemed ?? 0,
    cancelled: direct.cancelled ?? 0,
  });
  const prize = await countedDirectly('reward', 'prize');
  const reward = await system.api.get('/v1/rewards/prize').set(op());
  expect(reward.body.certificates).toMatchObject({ total: Object.values(prize).reduce((a, b) => a + b, 0), unused: prize.unused ?? 0 });
}

async function waitForBatch(id: string, status: string, path = 'code-batches') {
  await eventually(async () => (await system.api.get(`/v1/${path}/${id}`).set(op())).body.status === status);
}

async function generate(pool: string, quantity: number, prefix: string): Promise<string> {
  const res = await system.api
    .post('/v1/code-batches')
    .set(op())
    .send({ quantity, length: 8, charset: 'alphanumeric', prefix, pool: { type: 'campaign', id: pool } });
  expect(res.status).toBe(202);
  return res.body.id;
}

async function importCsv(csv: string, pool: string): Promise<string> {
  const res = await system.api.post(`/v1/code-imports?pool=${pool}`).set(op()).set('Content-Type', 'text/csv').send(csv);
  expect(res.status).toBe(202);
  return res.body.id;
}

const unusedCodes = async (kind: string, owner: string, limit: number): Promise<string[]> =>
  (
    await system.db.query(
      `select code from codes where pool_id = (select id from code_pools where kind = $1 and owner_id = $2) and status = 'unused'
        order by code limit $3`,
      [kind, owner, limit],
    )
  ).rows.map((r: { code: string }) => r.code);

it('keeps exact per-status counts through every kind of write, concurrent ones and compaction included', async () => {
  // Generation (COPY per chunk) into two pools at once, and an import (COPY, then its slow path on a duplicate).
  const [counted, neighbour] = await Promise.all([generate('counted', 1200, 'CNT'), generate('neighbour', 300, 'NBR')]);
  await addCodes(system.db, 'bank', ['TAKEN0001']);
  const imported = await importCsv('code\nIMP0001\nIMP0002\nIMP0003\nTAKEN0001\n', 'campaign:counted');
  await Promise.all([
    waitForBatch(counted, 'completed'),
    waitForBatch(neighbour, 'completed'),
    waitForBatch(imported, 'completed', 'code-imports'),
  ]);
  await addCodes(system.db, { type: 'reward', id: 'prize' }, ['PRIZE1', 'PRIZE2', 'PRIZE3']);
  await expectCountsExact();

  // Concurrently: redemptions (two racing for the same code), reward redemptions, a code cancel, a batch cancel
  // of the import, and compactions.
  const toRedeem = await unusedCodes('campaign', 'counted', 30);
  await addMembers(
    system.db,
    toRedeem.map((_, i) => `m${i}`),
  );
  await addMembersWithPoints(system.db, ['r1', 'r2'], 100);
  const [toCancel] = await unusedCodes('campaign', 'neighbour', 1);
  await Promise.all([
    ...toRedeem.map((code, i) => postEvent(system, `e${i}`, `m${i}`, code)),
    postEvent(system, 'race', 'm0', toRedeem[1]),
    system.api.post('/v1/rewards/prize/redemptions').set(system.as('producer')).send({ memberId: 'r1' }),
    system.api.post('/v1/rewards/prize/redemptions').set(system.as('producer')).send({ memberId: 'r2' }),
    system.api.post(`/v1/codes/${toCancel}/cancel`).set(op()).send({ reason: 'printed twice' }),
    system.api.post(`/v1/code-batches/${imported}/cancel`).set(op()).send({ reason: 'wrong file' }),
    compactPoolCounts(system.db),
    compactPoolCounts(system.db),
  ]);
  await waitForBatch(imported, 'cancelled');
  await expectCountsExact();
  expect((await countedDirectly('campaign', 'counted')).redeemed).toBe(30);

  // Rollback (redeemed -> unused), status import (redeemed -> fulfilled), a batch cancel of a big batch.
  const rolled = await system.api.post('/v1/redemptions/e0/rollback').set(op()).send({ reason: 'returned' });
  expect(rolled.status).toBe(200);
  const statusImport = await system.api
    .post('/v1/code-status-imports')
    .set(op())
    .set('Content-Type', 'text/csv')
    .send(`code,status,reason\n${toRedeem[2]},fulfilled,shipped\n${toRedeem[3]},fulfilled,shipped\n`);
  expect(statusImport.body).toMatchObject({ updated: 2 });
  await system.api.post(`/v1/code-batches/${neighbour}/cancel`).set(op()).send({ reason: 'withdrawn' });
  await waitForBatch(neighbour, 'cancelled');
  await expectCountsExact();

  // A code moved to another pool moves its count; an update that changes neither pool nor status adds nothing.
  await system.db.query(
    `update codes set pool_id = (select id from code_pools where kind = 'reward' and owner_id = 'prize') where code = any($1)`,
    [toRedeem.slice(10, 15)],
  );
  const before = (await system.db.query(`select count(*)::int as n from code_pool_count_deltas`)).rows[0].n;
  await system.db.query(`update codes set expires_at = now() where code = any($1)`, [toRedeem]);
  expect((await system.db.query(`select count(*)::int as n from code_pool_count_deltas`)).rows[0].n).toBe(before);
  await expectCountsExact();

  // Compaction leaves one row per (pool, status) and the same sums.
  expect(await compactPoolCounts(system.db)).toBeGreaterThan(0);
  const rows = await system.db.query(`select count(*)::int as n from code_pool_count_deltas group by pool_id, status having count(*) > 1`);
  expect(rows.rows).toEqual([]);
  await expectCountsExact();
  expect(await compactPoolCounts(system.db)).toBe(0);
});
