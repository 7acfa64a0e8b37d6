import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { addCodes } from '../support/fixtures';

// Chunk 1 fails once before its commit, chunk 2 once after it: the retries must double nothing.
const injected: string[] = [];
const failOnce = (chunk: number, where: string) => (input: { chunkIndex?: number }, attempt: number) => {
  if (input.chunkIndex === chunk && attempt === 1) {
    injected.push(where);
    throw new Error(`injected ${where}`);
  }
};

let system: TestSystem;
beforeAll(async () => {
  // Three rows per chunk: the file below spans four chunks, so duplicates and retries cross chunk boundaries.
  system = await startTestSystem({
    env: { CODE_CHUNK_SIZE: '3' },
    faults: { import: { beforeCommit: failOnce(1, 'before-commit'), afterCommit: failOnce(2, 'after-commit') } },
  });
  await addCodes(system.db, 'bank', ['EXIST0001']);
});
afterAll(() => system?.stop());

const FILE = [
  '\uFEFFcode,expires_at,note', //                  line 1: header, with the BOM a spreadsheet writes
  'GOOD-0001,2027-01-31,first', //                   2 imported
  'good 0002,,second', //                            3 imported
  ',2027-01-01,no code', //                          4 empty
  'BAD$CODE,,x', //                                  5 bad_characters
  `${'A'.repeat(70)},,x`, //                         6 too_long
  'GOOD0001,,again', //                              7 duplicate_in_file (same code as line 2 once normalised)
  'EXIST0001,,x', //                                 8 already_exists
  'GOOD0003,not-a-date,x', //                        9 bad_expires_at
  '"GOOD0004",,"a note, with a comma', //            10-11: quoted field spanning a line break
  'and more"',
  'GOOD0005,,x,surplus', //                          12 wrong_column_count
  '',
  '', //                                         trailing blank lines
].join('\r\n');

async function importFile(csv: string, pool?: string) {
  const res = await system.api
    .post(`/v1/code-imports${pool ? `?pool=${pool}` : ''}`)
    .set(system.as('operator'))
    .set('Content-Type', 'text/csv')
    .send(csv);
  expect(res.status).toBe(202);
  return eventually(async () => {
    const r = await system.api.get(`/v1/code-imports/${res.body.id}?limit=100`).set(system.as('operator'));
    return r.body.status === 'completed' ? r.body : null;
  });
}

it('imports the valid rows and reports every bad row with its line and reason, through retried chunks', async () => {
  const report = await importFile(FILE, 'campaign:gift');
  expect(report).toMatchObject({ rows: 10, imported: 3, rejected: 7, pool: { type: 'campaign', id: 'gift' } });
  expect(report.rejections.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([
    [4, 'empty'],
    [5, 'bad_characters'],
    [6, 'too_long'],
    [7, 'duplicate_in_file'],
    [8, 'already_exists'],
    [9, 'bad_expires_at'],
    [12, 'wrong_column_count'],
  ]);
  expect(injected.sort()).toEqual(['after-commit', 'before-commit']);
  const { rows } = await system.db.query(`select code, expires_at, attributes from codes where batch_id = $1 order by code`, [report.id]);
  expect(rows).toEqual([
    { code: 'GOOD0001', expires_at: new Date('2027-01-31T00:00:00Z'), attributes: { note: 'first' } },
    { code: 'GOOD0002', expires_at: null, attributes: { note: 'second' } },
    { code: 'GOOD0004', expires_at: null, attributes: { note: 'a note, with a comma\r\nand more' } },
  ]);
  const staged = await system.db.query(`select count(*)::int as n from code_import_rows where batch_id = $1`, [report.id]);
  expect(staged.rows[0].n).toBe(0); // the staged file is dropped once imported
});

it('imports nothing twice when the same file comes again', async () => {
  const before = (await system.db.query(`select count(*)::int as n from codes`)).rows[0].n;
  const report = await importFile(FILE);
  expect(report.imported).toBe(0);
  expect((await system.db.query(`select count(*)::int as n from codes`)).rows[0].n).toBe(before);
  const reasons = Object.fromEntries(report.rejections.map((r: { line: number; reason: string }) => [r.line, r.reason]));
  expect([reasons[2], reasons[3], reasons[10]]).toEqual(['already_exists', 'already_exists', 'already_exists']);
});

it('pages through the row report', async () => {
  // 25 rows with an empty (quoted) code: a blank line would be skipped, a quoted empty cell is a row.
  const csv = ['code', ...Array.from({ length: 25 }, () => '""')].join('\n');
  const first = await importFile(csv);
  expect(first.rejected).toBe(25);
  const page = await system.api.get(`/v1/code-imports/${first.id}?limit=10&after=5`).set(system.as('operator'));
  expect(page.body.rejections.map((r: { line: number }) => r.line)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  expect(page.body.nextAfter).toBe(15); // deprecated names, still answered
  const next = await system.api.get(`/v1/code-imports/${first.id}?limit=11&cursor=${page.body.nextCursor}`).set(system.as('operator'));
  expect(next.body.rejections.map((r: { line: number }) => r.line)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
  expect(next.body.nextCursor).toBeNull(); // a full last page says it is the last
  expect(next.body.nextAfter).toBeNull();
  // A line past any integer column is past every row, not a database error.
  const far = await system.api.get(`/v1/code-imports/${first.id}?after=99999999999`).set(system.as('operator'));
  expect([far.status, far.body.rejections, far.body.nextCursor]).toEqual([200, [], null]);
});

it('refuses a whole file it cannot read, leaving nothing behind', async () => {
  const count = async () =>
    (await system.db.query(`select (select count(*) from code_batches)::int as b, (select count(*) from code_import_rows)::int as s`))
      .rows[0];
  const before = await count();
  const cases: Array<[string, string, number, string]> = [
    ['no code column', 'coupon\nABC\n', 400, 'invalid_csv'],
    ['broken quoting', 'code\n"ABC\nDEF,\n"x"y"\n', 400, 'invalid_csv'],
    ['an empty file', '', 400, 'empty_file'],
    ['only a header', 'code\r\n', 400, 'empty_file'],
    ['a repeated column', 'code,code\nA,B\n', 400, 'invalid_csv'],
    ['a huge field', `code\n${'A'.repeat(10_000)}\n`, 400, 'invalid_csv'],
    ['too many columns', `code${',x'.repeat(100)}\nA\n`, 400, 'invalid_csv'],
  ];
  for (const [name, csv, status, code] of cases) {
    const res = await system.api.post('/v1/code-imports').set(system.as('operator')).set('Content-Type', 'text/csv').send(csv);
    expect({ name, status: res.status, code: res.body.error?.code }).toEqual({ name, status, code });
  }
  const json = await system.api.post('/v1/code-imports').set(system.as('operator')).send({ code: 'A' });
  expect([json.status, json.body.error.code]).toEqual([415, 'unsupported_media_type']);
  const badPool = await system.api
    .post('/v1/code-imports?pool=shop:x')
    .set(system.as('operator'))
    .set('Content-Type', 'text/csv')
    .send('code\nA\n');
  expect([badPool.status, badPool.body.error.field]).toEqual([400, 'pool']);
  expect(await count()).toEqual(before);
});
