import { startTestSystem, type TestSystem, KEYS } from '../support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ env: { CODE_BATCH_MAX_QUANTITY: '5000', MAX_BODY_BYTES: '2048' } });
});
afterAll(() => system?.stop());

const valid = { quantity: 10, length: 8, charset: 'numeric' };
const batchCount = async () => Number((await system.db.query('select count(*) from code_batches')).rows[0].count);

describe('authentication and roles', () => {
  it('refuses a request without a key or with an unknown key (401)', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nope-nope-nope' }, { Authorization: KEYS.admin }]) {
      const res = await system.api.post('/v1/code-batches').set(headers).send(valid);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect((await system.api.get('/v1/codes/ABC')).status).toBe(401);
  });

  it('refuses a role that may not use the route (403) and lets the others in', async () => {
    const denied = await system.api.post('/v1/code-batches').set(system.as('producer')).send(valid);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await system.api.get('/v1/codes/ABC').set(system.as('producer'))).status).toBe(403);
    for (const role of ['admin', 'marketer', 'operator'] as const) {
      expect((await system.api.post('/v1/code-batches').set(system.as(role)).send(valid)).status).toBe(202);
    }
  });
});

describe('validation', () => {
  // Every row has all five columns: jest passes a short row's missing column as its `done` callback.
  const cases: Array<[string, unknown, number, string, string | undefined]> = [
    ['a wrong type', { ...valid, quantity: '10' }, 400, 'validation_failed', 'quantity'],
    ['a fractional quantity', { ...valid, quantity: 1.5 }, 400, 'validation_failed', 'quantity'],
    ['zero', { ...valid, quantity: 0 }, 400, 'validation_failed', 'quantity'],
    ['a quantity above the cap', { ...valid, quantity: 5001 }, 400, 'quantity_above_cap', 'quantity'],
    ['an unknown field', { ...valid, colour: 'red' }, 400, 'unknown_field', 'colour'],
    ['an unknown nested field', { ...valid, pool: { type: 'campaign', id: 'x', extra: 1 } }, 400, 'unknown_field', 'pool.extra'],
    ['an unknown charset', { ...valid, charset: 'emoji' }, 400, 'validation_failed', 'charset'],
    ['a custom charset without alphabet', { ...valid, charset: 'custom' }, 400, 'invalid_code_spec', 'alphabet'],
    ['a bad custom alphabet', { ...valid, charset: 'custom', alphabet: 'AB$%' }, 400, 'invalid_code_spec', 'alphabet'],
    ['damm over 26 letters', { ...valid, charset: 'alpha', checkCharacter: 'damm' }, 400, 'invalid_code_spec', 'checkCharacter'],
    ['a bad pool id', { ...valid, pool: { type: 'campaign', id: "x'; drop table codes;--" } }, 400, 'validation_failed', 'pool.id'],
    ['an array body', [valid], 400, 'validation_failed', undefined],
    ['a null body', null, 400, 'invalid_json', undefined],
    ['a bare string body', 'ten', 400, 'invalid_json', undefined],
    ['a keyspace too small', { quantity: 2000, length: 4, charset: 'numeric' }, 422, 'keyspace_too_small', 'length'],
  ];

  it.each(cases)('answers %s with a 4xx in the error shape and writes nothing', async (_name, body, status, code, field) => {
    const before = await batchCount();
    const res = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    if (field) expect(res.body.error.field).toBe(field);
    expect(await batchCount()).toBe(before);
  });

  it('says which length the keyspace needs', async () => {
    const res = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .send({ quantity: 2000, length: 4, charset: 'numeric' });
    expect(res.body.error.message).toMatch(/length of at least 6/);
  });

  it('answers malformed JSON, oversized bodies and other media types in the error shape', async () => {
    const malformed = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .set('Content-Type', 'application/json')
      .send('{"quantity": 1,');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    const huge = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .send({ ...valid, prefix: 'x'.repeat(5000) });
    expect([huge.status, huge.body.error.code]).toEqual([413, 'body_too_large']);
    const text = await system.api.post('/v1/code-batches').set(system.as('operator')).set('Content-Type', 'text/plain').send('quantity=1');
    expect([text.status, text.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const route = await system.api.get('/v1/nothing-here').set(system.as('operator'));
    expect([route.status, route.body.error.code]).toEqual([404, 'not_found']);
  });

  it('answers bad ids and codes with 4xx, never a 5xx', async () => {
    expect((await system.api.get('/v1/code-batches/not-a-uuid').set(system.as('operator'))).status).toBe(404);
    expect((await system.api.get('/v1/code-batches/00000000-0000-0000-0000-000000000000').set(system.as('operator'))).status).toBe(404);
    for (const bad of ["' or 1=1 --", '%00', 'ＡＢＣ\u202e', 'x'.repeat(100)]) {
      const res = await system.api.get(`/v1/codes/${encodeURIComponent(bad)}`).set(system.as('operator'));
      expect([400, 404]).toContain(res.status);
      expect(res.body.error).toBeDefined();
    }
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for a retry and starts no second batch', async () => {
    const before = await batchCount();
    const first = await system.api.post('/v1/code-batches').set(system.as('operator')).set('Idempotency-Key', 'gen-1').send(valid);
    const retry = await system.api.post('/v1/code-batches').set(system.as('operator')).set('Idempotency-Key', 'gen-1').send(valid);
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await batchCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body', async () => {
    await system.api.post('/v1/code-batches').set(system.as('operator')).set('Idempotency-Key', 'gen-2').send(valid);
    const other = await system.api
      .post('/v1/code-batches')
      .set(system.as('operator'))
      .set('Idempotency-Key', 'gen-2')
      .send({ ...valid, quantity: 11 });
    expect([other.status, other.body.error.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('keeps keys apart per API key', async () => {
    const a = await system.api.post('/v1/code-batches').set(system.as('operator')).set('Idempotency-Key', 'gen-3').send(valid);
    const b = await system.api.post('/v1/code-batches').set(system.as('marketer')).set('Idempotency-Key', 'gen-3').send(valid);
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('operations endpoints', () => {
  it('serves /healthz, /openapi.json and /docs without a key', async () => {
    expect((await system.api.get('/healthz')).body).toEqual({ status: 'ok' });
    const doc = await system.api.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/code-batches', '/v1/code-batches/{id}', '/v1/codes/{code}']));
    const request = doc.body.paths['/v1/code-batches'].post.requestBody.content['application/json'].schema;
    expect(request.$ref).toBe('#/components/schemas/CreateCodeBatchRequest');
    expect(doc.body.components.schemas.CreateCodeBatchRequest.required).toEqual(expect.arrayContaining(['quantity', 'length', 'charset']));
    const docs = await system.api.get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger-ui/i);
  });
});
