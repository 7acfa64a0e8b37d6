import express from 'express';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { errorHandler } from '../../api/errors';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeMemberRoutes, memberRoutes } from '../../api/routes/members';
import { describeEventSchemaRoutes, eventSchemaRoutes } from '../../api/routes/event-schemas';
import { bookPoints } from '../../db/points-ledger';
import { findMember } from '../../db/members';

// The routes are not in api/app.ts yet: a bare app with an admin principal exercises them on their own.
let system: TestSystem;
let api: ReturnType<typeof request>;
beforeAll(async () => {
  system = await startTestSystem();
  const ctx = { db: system.db, temporal: system.temporal, config: system.config };
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    req.principal = { role: 'admin', id: 'admin:test' };
    next();
  });
  app.use('/v1', memberRoutes(ctx), eventSchemaRoutes(ctx));
  app.use(errorHandler);
  api = request(app);
});
afterAll(() => system?.stop());

const balance = async (id: string) => (await findMember(system.db, id))!.balance;
const credit = (memberId: string, points: number, reference: string) =>
  bookPoints(system.db, { memberId, kind: 'credit', points, source: 'test', reference });

describe('members', () => {
  const profile = {
    tier: 'gold',
    segments: ['newsletter'],
    tags: ['vip'],
    enrolledAt: '2024-02-29',
    attributes: { city: 'Berlin', age: 41, optIn: true, note: null },
  };

  it('creates a member (201), then replaces the profile (200) keeping the balance', async () => {
    const created = await api.put('/v1/members/shop:1@eu').send(profile);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/v1/members/shop%3A1%40eu');
    expect(created.body).toMatchObject({ id: 'shop:1@eu', ...profile, balance: 0 });
    await credit('shop:1@eu', 40, 'welcome-shop:1@eu');

    const updated = await api.put('/v1/members/shop:1@eu').send({ tier: 'silver' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: 'shop:1@eu',
      tier: 'silver',
      segments: [],
      tags: [],
      enrolledAt: null,
      attributes: {},
      balance: 40,
    });
    expect(updated.body.createdAt).toBe(created.body.createdAt);

    const fetched = await api.get('/v1/members/shop:1@eu');
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(updated.body);
  });

  it('answers 404 member_not_found for an unknown or impossible id', async () => {
    for (const path of ['/v1/members/nobody', '/v1/members/no%20body', '/v1/members/nobody/transactions']) {
      const res = await api.get(path);
      expect({ path, status: res.status, error: res.body.error }).toMatchObject({
        path,
        status: 404,
        error: { code: 'member_not_found', field: 'id' },
      });
    }
  });

  it.each<[string, string, unknown, string, string]>([
    ['a day that does not exist', 'm-1', { enrolledAt: '2026-02-30' }, 'validation_failed', 'enrolledAt'],
    ['a date-time as enrolledAt', 'm-1', { enrolledAt: '2026-02-01T00:00:00Z' }, 'validation_failed', 'enrolledAt'],
    ['an unknown field', 'm-1', { tier: 'gold', points: 100 }, 'unknown_field', 'points'],
    ['too many segments', 'm-1', { segments: Array.from({ length: 101 }, (_, i) => `s${i}`) }, 'validation_failed', 'segments'],
    ['an empty tag', 'm-1', { tags: [''] }, 'validation_failed', 'tags.0'],
    ['a nested attribute value', 'm-1', { attributes: { a: { b: 1 } } }, 'validation_failed', 'attributes.a'],
    [
      'too many attributes',
      'm-1',
      { attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      'validation_failed',
      'attributes',
    ],
    ['a bad id', 'bad id!', {}, 'validation_failed', 'id'],
    ['an id over 128 characters', 'x'.repeat(129), {}, 'validation_failed', 'id'],
  ])('refuses %s with a 400 naming the field and writes nothing', async (_name, id, body, code, field) => {
    const res = await api.put(`/v1/members/${encodeURIComponent(id)}`).send(body as object);
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, code, field]);
    expect(await findMember(system.db, id)).toBeNull();
  });

  it('pages the ledger newest first, each entry once, until nextCursor is null', async () => {
    await api.put('/v1/members/pager').send({}).expect(201);
    for (let i = 1; i <= 7; i++) await credit('pager', i, `pager-${i}`);
    const pages: Array<Array<{ id: number; points: number; reference: string }>> = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await api.get(`/v1/members/pager/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.transactions);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const all = pages.flat();
    expect(all.map((t) => t.points)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(new Set(all.map((t) => t.id)).size).toBe(7);
    expect(all[0]).toMatchObject({ kind: 'credit', source: 'test', reference: 'pager-7', attributes: {} });
    expect(await balance('pager')).toBe(28);
  });

  it('refuses bad transaction queries with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['cursor=abc', 'cursor'],
      ['cursor=-1', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=x', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const res = await api.get(`/v1/members/pager/transactions?${query}`);
      expect({ query, status: res.status, field: res.body.error?.field }).toEqual({ query, status: 400, field });
    }
  });

  it('rolls back a debit beyond the balance, leaving balance and ledger as they were', async () => {
    await api.put('/v1/members/spender').send({}).expect(201);
    await credit('spender', 10, 'spender-credit');
    const debit = system.db.transaction((c) =>
      bookPoints(c, { memberId: 'spender', kind: 'debit', points: 11, source: 'test', reference: 'spender-debit' }),
    );
    await expect(debit).rejects.toMatchObject({ code: '23514' });
    expect(await balance('spender')).toBe(10);
    const { rows } = await system.db.query(`select count(*)::int as n from point_transactions where reference = 'spender-debit'`);
    expect(rows[0].n).toBe(0);
  });

  it('books an entry once however often its reference is retried', async () => {
    await api.put('/v1/members/retrier').send({}).expect(201);
    expect(await credit('retrier', 5, 'retrier-once')).toBe(true);
    expect(await credit('retrier', 5, 'retrier-once')).toBe(false);
    expect(await balance('retrier')).toBe(5);
    expect((await api.get('/v1/members/retrier/transactions')).body.transactions).toHaveLength(1);
  });
});

describe('event schemas', () => {
  const purchase = {
    name: 'purchase',
    attributes: [
      { name: 'amount', type: 'number', required: true },
      { name: 'store', type: 'text' },
    ],
  };

  it('creates a schema (201) with defaults, refuses the same name (409) and lists it', async () => {
    const created = await api.post('/v1/event-schemas').send(purchase);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'purchase',
      active: true,
      attributes: [
        { name: 'amount', type: 'number', required: true },
        { name: 'store', type: 'text', required: false },
      ],
    });

    const again = await api.post('/v1/event-schemas').send({ ...purchase, attributes: [{ name: 'x', type: 'text' }] });
    expect([again.status, again.body.error.code, again.body.error.field]).toEqual([409, 'event_schema_exists', 'name']);

    await api
      .post('/v1/event-schemas')
      .send({ name: 'app.open', attributes: [{ name: 'at', type: 'date' }], active: false })
      .expect(201);
    const list = await api.get('/v1/event-schemas');
    expect(list.status).toBe(200);
    expect(list.body.eventSchemas.map((s: { name: string; active: boolean }) => [s.name, s.active])).toEqual([
      ['app.open', false],
      ['purchase', true],
    ]);
    expect(list.body.eventSchemas[1]).toEqual(created.body);
  });

  it('switches a schema off and replaces its attributes (200)', async () => {
    const off = await api.patch('/v1/event-schemas/purchase').send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ name: 'purchase', active: false, attributes: [{ name: 'amount' }, { name: 'store' }] });
    const replaced = await api.patch('/v1/event-schemas/purchase').send({ attributes: [{ name: 'total', type: 'number' }] });
    expect(replaced.body).toMatchObject({ active: false, attributes: [{ name: 'total', type: 'number', required: false }] });
  });

  it('answers 404 for a schema that does not exist', async () => {
    for (const name of ['refund', 'Not%20A%20Name']) {
      const res = await api.patch(`/v1/event-schemas/${name}`).send({ active: true });
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([404, 'event_schema_not_found', 'name']);
    }
  });

  it.each<[string, 'post' | 'patch', unknown, string, string | undefined]>([
    ['an upper-case name', 'post', { ...purchase, name: 'Purchase' }, 'validation_failed', 'name'],
    ['a name starting with a digit', 'post', { ...purchase, name: '1click' }, 'validation_failed', 'name'],
    ['a name over 64 characters', 'post', { ...purchase, name: 'a'.repeat(65) }, 'validation_failed', 'name'],
    ['no attributes', 'post', { name: 'empty', attributes: [] }, 'validation_failed', 'attributes'],
    [
      '51 attributes',
      'post',
      { name: 'wide', attributes: Array.from({ length: 51 }, (_, i) => ({ name: `a${i}`, type: 'text' })) },
      'validation_failed',
      'attributes',
    ],
    ['an unknown type', 'post', { name: 'typed', attributes: [{ name: 'a', type: 'json' }] }, 'validation_failed', 'attributes.0.type'],
    [
      'a bad attribute name',
      'post',
      { name: 'named', attributes: [{ name: 'a-b', type: 'text' }] },
      'validation_failed',
      'attributes.0.name',
    ],
    [
      'an unknown attribute field',
      'post',
      { name: 'extra', attributes: [{ name: 'a', type: 'text', unique: true }] },
      'unknown_field',
      'attributes.0.unique',
    ],
    [
      'duplicate attribute names',
      'post',
      {
        name: 'dup',
        attributes: [
          { name: 'a', type: 'text' },
          { name: 'a', type: 'number' },
        ],
      },
      'validation_failed',
      'attributes',
    ],
    ['an empty patch', 'patch', {}, 'validation_failed', undefined],
    ['a patch renaming the schema', 'patch', { name: 'other' }, 'unknown_field', 'name'],
    [
      'a patch with duplicate names',
      'patch',
      {
        attributes: [
          { name: 'a', type: 'text' },
          { name: 'a', type: 'text' },
        ],
      },
      'validation_failed',
      'attributes',
    ],
  ])('refuses %s with a 400', async (_name, method, body, code, field) => {
    const res =
      method === 'post'
        ? await api.post('/v1/event-schemas').send(body as object)
        : await api.patch('/v1/event-schemas/purchase').send(body as object);
    expect([res.status, res.body.error.code, res.body.error.field]).toEqual([400, code, field]);
  });

  it('names the attribute declared twice', async () => {
    const res = await api.post('/v1/event-schemas').send({
      name: 'dup',
      attributes: [
        { name: 'sku', type: 'text' },
        { name: 'sku', type: 'number' },
      ],
    });
    expect(res.body.error.message).toBe('attributes: attribute "sku" is declared twice');
  });
});

describe('OpenAPI', () => {
  it('documents the member and event-schema routes', () => {
    const doc = buildOpenApiDocument([describeMemberRoutes, describeEventSchemaRoutes]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/members/{id}', '/v1/members/{id}/transactions', '/v1/event-schemas', '/v1/event-schemas/{name}']),
    );
    expect(doc.components?.schemas).toHaveProperty('MemberInput');
    expect(doc.components?.schemas).toHaveProperty('EventSchemaInput');
  });
});
