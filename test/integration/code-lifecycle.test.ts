import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { takeUnusedCode } from '../../db/codes';
import { resolvePool } from '../../db/code-pools';

let system: TestSystem;
const op = () => system.as('operator');

async function generate(body: object): Promise<string> {
  const res = await system.api.post('/v1/code-batches').set(op()).send(body);
  expect(res.status).toBe(202);
  await eventually(async () => (await system.api.get(`/v1/code-batches/${res.body.id}`).set(op())).body.status === 'completed');
  return res.body.id;
}

let summerBatch: string;
let bankBatch: string;
beforeAll(async () => {
  system = await startTestSystem({ env: { CODE_CHUNK_SIZE: '500' } });
  summerBatch = await generate({
    quantity: 2000,
    length: 8,
    charset: 'alphanumeric',
    prefix: 'SUM',
    pool: { type: 'campaign', id: 'summer' },
  });
  bankBatch = await generate({ quantity: 300, length: 8, charset: 'numeric', prefix: 'BANK' });
  // A few codes in other states, with a member and a formula-like member id, to search and export.
  await system.db.query(
    `with picked as (select code, row_number() over (order by code) as n from codes where batch_id = $1 order by code limit 10)
     update codes c set status = 'redeemed', member_id = case when n % 2 = 0 then 'm-1' else '=HYPERLINK("x")' end,
            redeemed_at = '2026-06-15T12:00:00Z'
       from picked where c.code = picked.code`,
    [summerBatch],
  );
});
afterAll(() => system?.stop());

async function searchAll(query: string, limit = 100): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { codes: Array<{ code: string }>; nextCursor: string | null } } = await system.api
      .get(`/v1/codes?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      .set(op());
    expect(res.status).toBe(200);
    codes.push(...res.body.codes.map((c) => c.code));
    cursor = res.body.nextCursor;
  } while (cursor);
  return codes;
}

describe('search', () => {
  it('visits each code of a pool exactly once, in order, through cursor pages', async () => {
    const codes = await searchAll('pool=campaign:summer', 137);
    expect(codes.length).toBe(2000);
    expect(new Set(codes).size).toBe(2000);
    expect([...codes].sort()).toEqual(codes);
  });

  it.each([
    ['status=redeemed', 10],
    ['member=m-1', undefined],
    [`batch=BANK`, 300],
    ['prefix=ban-k', 300],
    ['pool=bank', 300],
    ['pool=campaign:summer&status=unused', 1990],
    ['redeemedFrom=2026-06-01&redeemedTo=2026-07-01', 10],
    ['redeemedFrom=2026-07-01', 0],
    ['createdFrom=2000-01-01&pool=bank', 300],
    ['createdTo=2000-01-01', 0],
  ])('filters by %s', async (query, expected) => {
    const codes = await searchAll(query.replace('BANK', bankBatch));
    if (expected !== undefined) expect(codes.length).toBe(expected);
    else {
      const { rows } = await system.db.query(`select count(*)::int as n from codes where member_id = 'm-1'`);
      expect(codes.length).toBe(rows[0].n);
      expect(codes.length).toBeGreaterThan(0);
    }
  });

  it('refuses bad filters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['status=lost', 'status'],
      ['batch=x', 'batch'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['limit=0', 'limit'],
      ['cursor=%%%', 'cursor'],
      ['pool=shop:1', 'pool'],
      ['colour=red', 'colour'],
    ]) {
      const res = await system.api.get(`/v1/codes?${query}`).set(op());
      expect({ query, status: res.status, field: res.body.error?.field }).toEqual({ query, status: 400, field });
    }
  });
});

describe('export', () => {
  it('streams CSV with the search filters and escapes formula-like cells', async () => {
    const res = await system.api.get('/v1/codes/export?pool=campaign:summer&status=redeemed').set(op());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('code,status,pool_type,pool_id,batch_id,member_id,expires_at,created_at,status_changed_at,redeemed_at');
    expect(lines.length).toBe(11);
    expect(res.text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(res.text).not.toMatch(/,"?=HYPERLINK/);
  });

  it('round-trips through an import into another system', async () => {
    const exported = await system.api.get(`/v1/codes/export?batch=${bankBatch}`).set(op());
    const other = await startTestSystem();
    try {
      const res = await other.api
        .post('/v1/code-imports?pool=reward:mug')
        .set(other.as('operator'))
        .set('Content-Type', 'text/csv')
        .send(exported.text);
      expect(res.status).toBe(202);
      const report = await eventually(async () => {
        const r = await other.api.get(`/v1/code-imports/${res.body.id}`).set(other.as('operator'));
        return r.body.status === 'completed' ? r.body : null;
      });
      expect(report).toMatchObject({ rows: 300, imported: 300, rejected: 0 });
      const mine = (await system.db.query(`select code from codes where batch_id = $1 order by code`, [bankBatch])).rows;
      const theirs = (await other.db.query(`select code from codes where batch_id = $1 order by code`, [res.body.id])).rows;
      expect(theirs).toEqual(mine);
    } finally {
      await other.stop();
    }
  });
});

describe('cancel and history', () => {
  it('cancels an unused code once, refuses a redeemed one (409), and shows it all in the history', async () => {
    const [unused, redeemed] = (
      await system.db.query(
        `(select code from codes where batch_id = $1 and status = 'unused' order by code limit 1)
       union all (select code from codes where status = 'redeemed' order by code limit 1)`,
        [summerBatch],
      )
    ).rows.map((r) => r.code as string);
    const first = await system.api.post(`/v1/codes/${unused.toLowerCase()}/cancel`).set(op()).send({ reason: 'printed twice' });
    expect([first.status, first.body.status]).toEqual([200, 'cancelled']);
    const again = await system.api.post(`/v1/codes/${unused}/cancel`).set(op()).send({ reason: 'again' });
    expect([again.status, again.body.status]).toEqual([200, 'cancelled']);
    const refused = await system.api.post(`/v1/codes/${redeemed}/cancel`).set(op()).send({ reason: 'no' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'code_not_cancellable']);
    expect((await system.api.post(`/v1/codes/${unused}/cancel`).set(op()).send({})).status).toBe(400);
    expect((await system.api.post(`/v1/codes/${unused}/cancel`).set(system.as('marketer')).send({ reason: 'x' })).status).toBe(403);

    const detail = await system.api.get(`/v1/codes/${unused}`).set(op());
    expect(detail.body.origin).toMatchObject({
      batchId: summerBatch,
      source: 'generation',
      createdBy: expect.stringMatching(/^operator:/),
    });
    expect(detail.body.history).toEqual([
      expect.objectContaining({
        kind: 'status_change',
        fromStatus: 'unused',
        toStatus: 'cancelled',
        reason: 'printed twice',
        actor: expect.stringMatching(/^operator:/),
      }),
    ]);
  });

  it('cancels every still-unused code of a batch, leaving redeemed ones alone', async () => {
    const res = await system.api.post(`/v1/code-batches/${summerBatch}/cancel`).set(op()).send({ reason: 'campaign withdrawn' });
    expect(res.status).toBe(202);
    await eventually(async () => (await system.api.get(`/v1/code-batches/${summerBatch}`).set(op())).body.status === 'cancelled');
    const { rows } = await system.db.query(
      `select status, count(*)::int as n from codes where batch_id = $1 group by status order by status`,
      [summerBatch],
    );
    expect(rows).toEqual([
      { status: 'redeemed', n: 10 },
      { status: 'cancelled', n: 1990 },
    ]);
    const history = await system.db.query(`select count(*)::int as n from code_history h join codes c using (code) where c.batch_id = $1`, [
      summerBatch,
    ]);
    expect(history.rows[0].n).toBe(1990);
  });
});

describe('status import', () => {
  it('applies allowed transitions and reports every refused row', async () => {
    const [redeemed] = (await system.db.query(`select code from codes where status = 'redeemed' order by code limit 1`)).rows.map(
      (r) => r.code,
    );
    const [bankCode] = (await system.db.query(`select code from codes where batch_id = $1 order by code limit 1`, [bankBatch])).rows.map(
      (r) => r.code,
    );
    const csv = [
      'code,status,reason',
      `${redeemed},fulfilled,shipped`, //   2 updated
      `${redeemed},fulfilled,again`, //     3 unchanged
      `${bankCode},fulfilled,`, //          4 unused -> fulfilled: not allowed
      'NOPE0000,cancelled,', //             5 unknown code
      `${bankCode},lost,`, //               6 invalid status
      '$$$,cancelled,', //                  7 invalid code
      `${bankCode},cancelled,expired`, //   8 updated
    ].join('\n');
    const res = await system.api.post('/v1/code-status-imports').set(op()).set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 7, updated: 2, unchanged: 1, rejected: 4 });
    expect(res.body.rejections.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([
      [4, 'transition_not_allowed: unused -> fulfilled'],
      [5, 'unknown_code'],
      [6, 'invalid_status'],
      [7, 'invalid_code'],
    ]);
    const statuses = await system.db.query(`select code, status from codes where code = any($1) order by code`, [[redeemed, bankCode]]);
    expect(Object.fromEntries(statuses.rows.map((r) => [r.code, r.status]))).toEqual({ [redeemed]: 'fulfilled', [bankCode]: 'cancelled' });
  });
});

describe('the unassociated bank', () => {
  it('hands out each code once under concurrency: the pool first, then the bank', async () => {
    const pool = await resolvePool(system.db, { type: 'reward', id: 'mug' });
    await system.db.query(`insert into codes (code, pool_id) select 'MUG' || g, $1 from generate_series(1, 5) g`, [pool.id]);
    const bankUnused = (
      await system.db.query(
        `select count(*)::int as n from codes c join code_pools p on p.id = c.pool_id where p.kind = 'bank' and c.status = 'unused'`,
      )
    ).rows[0].n;
    const takes = await Promise.all(
      Array.from({ length: 20 }, () =>
        system.db.transaction(async (client) => {
          const taken = await takeUnusedCode(client, pool.id);
          if (taken) await client.query(`update codes set status = 'awarded' where code = $1`, [taken.code]);
          return taken;
        }),
      ),
    );
    const codes = takes.map((t) => t!.code);
    expect(new Set(codes).size).toBe(20);
    expect(
      takes
        .filter((t) => !t!.fromBank)
        .map((t) => t!.code)
        .sort(),
    ).toEqual(['MUG1', 'MUG2', 'MUG3', 'MUG4', 'MUG5']);
    expect(takes.filter((t) => t!.fromBank).length).toBe(Math.min(15, bankUnused));
  });
});
