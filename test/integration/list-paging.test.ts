import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { PoolClient } from 'pg';
import type { Queryable } from '../../db/database';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { listRoutes, type ListRoute } from '../support/list-routes';

/**
 * Issue 26: every list returns each row exactly once across its pages, in order, whatever the rows' timestamps.
 * Rows go in by bursts, each one transaction: rows left to their default share the transaction's created_at,
 * others get created_at within one millisecond (microseconds apart or equal), where a millisecond cursor skips.
 */
let system: TestSystem;
beforeAll(async () => {
  // No worker: the outbox rows the delivery lists stand on must not be relayed (and sent) behind the test's back.
  system = await startTestSystem({ inProcessWorker: false });
});
afterAll(() => system?.stop());

/** A burst: its rows' created_at as microseconds into one millisecond, or null for the transaction's now(). */
type Burst = Array<number | null>;
const ONE_MILLISECOND = `'2026-06-01T10:00:00.500Z'::timestamptz`;
const createdAt = (offset: number | null) => (offset === null ? 'now()' : `${ONE_MILLISECOND} + interval '${offset} microseconds'`);

interface ListFixture {
  url: string;
  /** Inserts one row in the caller's transaction. */
  insert(client: PoolClient, at: number | null, n: number): Promise<unknown>;
  /** The ids in list order, as the list's ORDER BY defines it. */
  expected(): Promise<string[]>;
  idOf(item: Record<string, unknown>): string;
}

const ids = async (sql: string, params: unknown[]) => (await system.db.query(sql, params)).rows.map((r) => String(r.id));
const randomCode = () => randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();

async function newPool(): Promise<{ poolId: string; owner: string }> {
  const owner = `paging-${randomUUID()}`;
  const { rows } = await system.db.query(`insert into code_pools (kind, owner_id) values ('campaign', $1) returning id`, [owner]);
  return { poolId: rows[0].id as string, owner };
}

async function newBatch(poolId: string, source: 'generation' | 'import', at = 'now()', db: Queryable = system.db): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into code_batches (id, pool_id, source, requested, workflow_id, created_at) values ($1, $2, $3, 1, $4, ${at})`, [
    id,
    poolId,
    source,
    `paging-${id}`,
  ]);
  return id;
}

/** How to fill and read each list route; a list route missing here fails the test below. */
const fixtures: Record<string, () => Promise<ListFixture>> = {
  '/v1/codes': async () => {
    const { poolId } = await newPool();
    const batchId = await newBatch(poolId, 'generation');
    return {
      url: `/v1/codes?batch=${batchId}`,
      insert: (c, at) =>
        c.query(`insert into codes (code, pool_id, batch_id, created_at) values ($1, $2, $3, ${createdAt(at)})`, [
          randomCode(),
          poolId,
          batchId,
        ]),
      expected: () => ids(`select code as id from codes where batch_id = $1 order by code`, [batchId]),
      idOf: (item) => String(item.code),
    };
  },
  '/v1/code-imports/{id}': async () => {
    const { poolId } = await newPool();
    const batchId = await newBatch(poolId, 'import');
    return {
      url: `/v1/code-imports/${batchId}`,
      // The report's key is the line: rows of one burst get scattered lines, not in insertion order.
      insert: (c, _at, n) =>
        c.query(`insert into code_import_rejections (batch_id, line, code, reason) values ($1, $2, null, 'duplicate_in_file')`, [
          batchId,
          1 + ((n * 7919) % 100_003),
        ]),
      expected: () => ids(`select line as id from code_import_rejections where batch_id = $1 order by line`, [batchId]),
      idOf: (item) => String(item.line),
    };
  },
  '/v1/events': async () => {
    const memberId = `paging-${randomUUID()}`;
    return {
      url: `/v1/events?memberId=${memberId}`,
      insert: (c, at) =>
        c.query(
          `insert into redemption_events (event_id, api_key, member_id, outcome, reason, result, created_at)
           values ($1, 'producer:paging', $2, 'rejected', 'code_not_found', '{}', ${createdAt(at)})`,
          [`ev-${randomUUID()}`, memberId],
        ),
      expected: () =>
        ids(`select event_id as id from redemption_events where member_id = $1 order by created_at desc, event_id desc`, [memberId]),
      idOf: (item) => String(item.eventId),
    };
  },
  '/v1/members/{id}/codes': async () => {
    const memberId = `paging-${randomUUID()}`;
    await system.db.query(`insert into members (id) values ($1)`, [memberId]);
    const { poolId } = await newPool();
    const batchId = await newBatch(poolId, 'generation');
    return {
      url: `/v1/members/${memberId}/codes`,
      insert: (c, at) =>
        c.query(
          `insert into codes (code, pool_id, batch_id, status, member_id, created_at) values ($1, $2, $3, 'assigned', $4, ${createdAt(at)})`,
          [randomCode(), poolId, batchId, memberId],
        ),
      expected: () => ids(`select code as id from codes where member_id = $1 and status = 'assigned' order by code`, [memberId]),
      idOf: (item) => String(item.code),
    };
  },
  '/v1/members/{id}/transactions': async () => {
    const memberId = `paging-${randomUUID()}`;
    await system.db.query(`insert into members (id) values ($1)`, [memberId]);
    return {
      url: `/v1/members/${memberId}/transactions`,
      insert: (c, at) =>
        c.query(
          `insert into point_transactions (member_id, kind, points, source, reference, created_at)
           values ($1, 'credit', 1, 'test', $2, ${createdAt(at)})`,
          [memberId, randomUUID()],
        ),
      expected: () => ids(`select id from point_transactions where member_id = $1 order by id desc`, [memberId]),
      idOf: (item) => String(item.id),
    };
  },
  '/v1/audit-log': async () => {
    const entityId = `paging-${randomUUID()}`;
    return {
      url: `/v1/audit-log?entity=campaign&id=${entityId}`,
      insert: (c, at) =>
        c.query(
          `insert into audit_log (actor, entity_type, entity_id, action, at) values ('marketer:000000000000', 'campaign', $1, 'update', ${createdAt(at)})`,
          [entityId],
        ),
      expected: () => ids(`select id from audit_log where entity_id = $1 order by id desc`, [entityId]),
      idOf: (item) => String(item.id),
    };
  },
  '/v1/jobs': async () => {
    const { poolId, owner } = await newPool();
    return {
      url: `/v1/jobs?pool=campaign:${owner}`,
      insert: async (c, at) => void (await newBatch(poolId, 'generation', createdAt(at), c)),
      expected: () => ids(`select id from code_batches where pool_id = $1 order by created_at desc, id desc`, [poolId]),
      idOf: (item) => String(item.id),
    };
  },
  '/v1/webhooks/{id}/deliveries': async () => {
    const subscriptionId = await newSubscription();
    return {
      url: `/v1/webhooks/${subscriptionId}/deliveries`,
      insert: (c, at) => insertDelivery(c, subscriptionId, createdAt(at)),
      expected: () =>
        ids(`select id from webhook_deliveries where subscription_id = $1 order by created_at desc, id desc`, [subscriptionId]),
      idOf: (item) => String(item.id),
    };
  },
};

async function newSubscription(): Promise<string> {
  const id = randomUUID();
  await system.db.query(
    `insert into webhook_subscriptions (id, url, events, secret) values ($1, 'https://example.com/hook', '{redemption.succeeded}', 'whsec_dGVzdA==')`,
    [id],
  );
  return id;
}

async function insertDelivery(c: PoolClient, subscriptionId: string, at: string): Promise<void> {
  const messageId = randomUUID();
  // The outbox row is already dispatched: nothing would relay it again.
  await c.query(`insert into outbox (id, type, payload, dispatched_at) values ($1, 'redemption.succeeded', '{}', now())`, [messageId]);
  await c.query(`insert into webhook_deliveries (id, message_id, subscription_id, created_at) values ($1, $2, $3, ${at})`, [
    randomUUID(),
    messageId,
    subscriptionId,
  ]);
}

/** Follows the list page by page until its next cursor is null; answers the ids in the order they came. */
async function readAll(
  route: ListRoute,
  url: string,
  limit: number,
  names = { param: 'cursor', next: 'nextCursor' },
  idOf = (i: Record<string, unknown>) => String(i.id),
) {
  const seen: string[] = [];
  let cursor: string | null = null;
  const itemsField = Object.entries(route.fields).find(([, s]) => s.type === 'array')![0];
  for (let page = 0; page < 1000; page++) {
    const query: string = `${url.includes('?') ? '&' : '?'}limit=${limit}${cursor === null ? '' : `&${names.param}=${cursor}`}`;
    const res = await system.api.get(url + query).set(system.as('admin'));
    expect(res.status).toBe(200);
    seen.push(...(res.body[itemsField] as Array<Record<string, unknown>>).map(idOf));
    cursor = res.body[names.next] as string | null;
    if (cursor === null) return seen;
  }
  throw new Error(`${url} did not reach its last page`);
}

/** The deprecated query parameter and answer field of a list, when it has them. */
function deprecatedNames(route: ListRoute): { param: string; next: string } | undefined {
  const param = route.query.find((p) => p.deprecated)?.name;
  const next = Object.entries(route.fields).find(([name, s]) => name.startsWith('next') && s.deprecated)?.[0];
  return param && next ? { param, next } : undefined;
}

const bursts = fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 999 }), { nil: null }), { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 4,
});

describe.each(listRoutes().map((route) => [route.path, route] as const))('%s', (path, route) => {
  it('has a paging property (add a fixture above for a new list)', () => expect(Object.keys(fixtures)).toContain(path));

  it('pages every row exactly once, in order, with every limit from 1 to 7', async () => {
    const makeFixture = fixtures[path];
    if (!makeFixture) return; // reported by the test above
    await fc.assert(
      fc.asyncProperty(bursts, async (burstList: Burst[]) => {
        const fixture = await makeFixture();
        let n = 0;
        for (const burst of burstList) {
          await system.db.transaction(async (c) => {
            for (const at of burst) await fixture.insert(c, at, n++);
          });
        }
        const expected = await fixture.expected();
        expect(expected).toHaveLength(n);
        for (let limit = 1; limit <= 7; limit++)
          expect(await readAll(route, fixture.url, limit, undefined, fixture.idOf)).toEqual(expected);
        const old = deprecatedNames(route);
        if (old) expect(await readAll(route, fixture.url, 2, old, fixture.idOf)).toEqual(expected);
      }),
      { numRuns: 6, seed: 26 },
    );
  });
});

test('a delivery log of 2,000 deliveries, written in bursts of one instant, pages to exactly 2,000', async () => {
  const subscriptionId = await newSubscription();
  for (let burst = 0; burst < 5; burst++) {
    // One statement per burst: its 400 deliveries share the transaction's created_at, like a relay pass's; pages
    // of 500 end inside a burst, where a cursor of less than full precision skips the rest of it.
    await system.db.query(
      `with message as (
         insert into outbox (id, type, payload, dispatched_at)
         select gen_random_uuid(), 'redemption.succeeded', '{}', now() from generate_series(1, 400) returning id)
       insert into webhook_deliveries (id, message_id, subscription_id) select gen_random_uuid(), id, $1 from message`,
      [subscriptionId],
    );
  }
  const route = listRoutes().find((r) => r.path === '/v1/webhooks/{id}/deliveries')!;
  const url = `/v1/webhooks/${subscriptionId}/deliveries`;
  const read = await readAll(route, url, 500);
  expect(read).toHaveLength(2000);
  expect(new Set(read).size).toBe(2000);
  // The way the issue's reporter read it: `before` ← `next`, until null.
  const readTheOldWay = await readAll(route, url, 500, { param: 'before', next: 'next' });
  expect(readTheOldWay).toEqual(read);
});
