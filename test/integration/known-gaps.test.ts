import { startTestSystem, eventually, type TestSystem } from '../support/test-system';

/** Issue 10.3: the smaller gaps named in the last closing note. */
let system: TestSystem;
const op = () => system.as('operator');

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

it('a status import of a header-only file is refused with 400 like a code import', async () => {
  for (const path of ['/v1/code-status-imports', '/v1/code-imports']) {
    const res = await system.api.post(path).set(op()).set('Content-Type', 'text/csv').send('code,status\n');
    expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'empty_file']);
  }
});

it.each([
  ['POST', '/v1/campaigns', 'producer'],
  ['POST', '/v1/events', 'marketer'],
  ['PATCH', '/v1/event-schemas/x', 'operator'],
  ['POST', '/v1/codes/ABC/cancel', 'producer'],
] as const)('%s %s by a forbidden role (%s) with broken JSON answers 403, not 400', async (method, path, role) => {
  const req = method === 'POST' ? system.api.post(path) : system.api.patch(path);
  const res = await req.set(system.as(role)).set('Content-Type', 'application/json').send('{"broken":');
  expect([res.status, res.body.error?.code]).toEqual([403, 'forbidden']);
  // With a role that may, the same body is still a 400.
  const allowed = method === 'POST' ? system.api.post(path) : system.api.patch(path);
  const ok = await allowed.set(system.as('admin')).set('Content-Type', 'application/json').send('{"broken":');
  expect([ok.status, ok.body.error?.code]).toEqual([400, 'invalid_json']);
});

it("the export carries imported codes' extra columns, one column per attribute key, formula-escaped", async () => {
  const csv = 'code,store,note\nATTR0001,paris-01,"=HYPERLINK(""x"")"\nATTR0002,lyon-02,plain\n';
  const imported = await system.api.post('/v1/code-imports').set(op()).set('Content-Type', 'text/csv').send(csv);
  expect(imported.status).toBe(202);
  await eventually(async () => (await system.api.get(`/v1/code-imports/${imported.body.id}`).set(op())).body.status === 'completed');
  const other = await system.api.post('/v1/code-imports').set(op()).set('Content-Type', 'text/csv').send('code,tier\nATTR0003,+gold\n');
  await eventually(async () => (await system.api.get(`/v1/code-imports/${other.body.id}`).set(op())).body.status === 'completed');

  const res = await system.api
    .get('/v1/codes/export?prefix=ATTR')
    .set(op())
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => done(null, text));
    });
  expect(res.status).toBe(200);
  const [header, ...lines] = (res.body as string).trim().split('\n');
  expect(header.split(',').slice(-3)).toEqual(['attributes.note', 'attributes.store', 'attributes.tier']);
  expect(lines[0]).toMatch(/^ATTR0001,.*,"'=HYPERLINK\(""x""\)",paris-01,$/);
  expect(lines[1]).toMatch(/^ATTR0002,.*,plain,lyon-02,$/);
  expect(lines[2]).toMatch(/^ATTR0003,.*,,,'\+gold$/);

  // An export without imported codes has no attribute columns.
  await system.db.query(`insert into codes (code, pool_id) select 'PLAIN0001', id from code_pools where kind = 'bank'`);
  const plain = await system.api
    .get('/v1/codes/export?prefix=PLAIN')
    .set(op())
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => done(null, text));
    });
  expect((plain.body as string).split('\n')[0]).toBe(
    'code,status,pool_type,pool_id,batch_id,member_id,expires_at,created_at,status_changed_at,redeemed_at',
  );
});
