import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { OutboxRelay, type OutboxDispatcher } from '../../worker/outbox-relay';
import type { Queryable } from '../../db/database';
import type { OutboxMessage } from '../../db/outbox';

/**
 * Several workers' relays on one outbox (real PostgreSQL): each row is handed over by exactly one of them, and a
 * row stays claimed until its hand-over has committed, so the other relay never takes it meanwhile.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ inProcessWorker: false });
});
afterAll(() => system?.stop());

const TOTAL = 2_000;

it('two relays share the outbox: every row handed over exactly once, by one of them, and both take part', async () => {
  const handedOver: Array<{ relay: string; id: string }> = [];
  // A dispatcher for an internal type of the test's own (dispatch by type is pluggable); it lingers while it
  // holds the claim, so the two relays' passes overlap.
  const recorder = (relay: string): OutboxDispatcher => ({
    async dispatch(_tx: Queryable, messages: OutboxMessage[]) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const m of messages) handedOver.push({ relay, id: m.id });
    },
  });
  const unexpected: OutboxDispatcher = {
    dispatch: async (_tx, messages) => {
      throw new Error(`no fallback expected here, got ${messages[0].type}`);
    },
  };
  await system.db.query(
    `insert into outbox (id, type, payload) select gen_random_uuid(), 'test.recorded', jsonb_build_object('n', g) from generate_series(1, $1) g`,
    [TOTAL],
  );
  const relays = ['a', 'b'].map(
    (name) => new OutboxRelay(system.db, { byType: new Map([['test.recorded', recorder(name)]]), fallback: unexpected }, 20),
  );
  relays.forEach((r) => r.start());
  try {
    await eventually(async () => {
      const { rows } = await system.db.query(`select count(*)::int as n from outbox where dispatched_at is null`);
      return rows[0].n === 0;
    });
  } finally {
    await Promise.all(relays.map((r) => r.stop()));
  }
  const ids = handedOver.map((h) => h.id);
  expect(ids.length).toBe(TOTAL);
  expect(new Set(ids).size).toBe(TOTAL);
  expect(new Set(handedOver.map((h) => h.relay))).toEqual(new Set(['a', 'b']));
});

it('a hand-over that fails leaves its rows pending (claim released by the rollback) and the next pass takes them', async () => {
  let failures = 1;
  const seen: string[] = [];
  const flaky: OutboxDispatcher = {
    async dispatch(_tx, messages) {
      if (failures-- > 0) throw new Error('Temporal away');
      seen.push(...messages.map((m) => m.id));
    },
  };
  const { rows } = await system.db.query(
    `insert into outbox (id, type, payload) values (gen_random_uuid(), 'test.flaky', '{}') returning id`,
  );
  const relay = new OutboxRelay(system.db, { byType: new Map([['test.flaky', flaky]]), fallback: flaky }, 20);
  await expect(relay.relayBatch()).rejects.toThrow('Temporal away');
  const pending = await system.db.query(`select dispatched_at from outbox where id = $1`, [rows[0].id]);
  expect(pending.rows[0].dispatched_at).toBeNull();
  expect(await relay.relayBatch()).toBe(1);
  expect(seen).toEqual([rows[0].id]);
});
