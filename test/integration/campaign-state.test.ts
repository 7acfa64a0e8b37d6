import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Database } from '../../db/database';
import { asDatabaseAdmin, startTestSystem, eventually, KEYS, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, anyoneRule, campaignRequest, createCampaign, createCodeEventSchema } from '../support/campaign-setup';
import { campaignWorkflowId } from '../../workflows/campaign-lifecycle-definitions';

/** PostgreSQL decides a campaign's state: all-or-nothing creates, no lost updates, a pause that holds at its commit. */
let system: TestSystem;
const marketer = () => system.as('marketer');
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

beforeAll(async () => {
  system = await startTestSystem({ env: { CODE_BATCH_MAX_QUANTITY: '5000', OUTBOX_RELAY_INTERVAL_MS: '50' } });
  await createCodeEventSchema(system);
  await system.api.post('/v1/rewards').set(marketer()).send({ id: 'state-reward', name: 'r', type: 'coupon', pointsCost: 0 });
});
afterAll(() => system?.stop());

const request = campaignRequest;
const codes = (generate: Record<string, unknown>) => ({
  codes: { generate: { quantity: 10, length: 10, charset: 'numeric', ...generate } },
});

/** Everything a create writes: the row, its generation job, its outbox rows, and its workflow. */
async function traces(id: string) {
  const count = async (sql: string) => (await system.db.query(sql, [id])).rows[0].n as number;
  let workflow = true;
  try {
    await system.temporal.workflow.getHandle(campaignWorkflowId(id, system.config.workflowIdPrefix)).describe();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    workflow = false;
  }
  return {
    campaigns: await count(`select count(*)::int as n from campaigns where id = $1`),
    batches: await count(
      `select count(*)::int as n from code_batches b join code_pools p on p.id = b.pool_id where p.kind = 'campaign' and p.owner_id = $1`,
    ),
    outbox: await count(`select count(*)::int as n from outbox where payload->>'campaignId' = $1`),
    workflow,
  };
}

it.each([
  ['over the cap', codes({ quantity: 6000 }), 400, 'quantity_above_cap'],
  ['keyspace too small', codes({ length: 2 }), 422, 'keyspace_too_small'],
  [
    'unknown reward',
    { rules: [{ ...anyoneRule, effects: [{ type: 'issue_coupon', rewardId: 'no-such-reward' }] }] },
    400,
    'unknown_reward',
  ],
  ['unknown schema', { trigger: { event: 'no_such_event', codeAttribute: 'code' } }, 400, 'unknown_event_schema'],
])('a create refused for %s leaves nothing; the corrected request answers 201', async (_case, wrong, status, code) => {
  const id = `refused-${code.replace(/_/g, '-')}`;
  const refused = await system.api.post('/v1/campaigns').set(marketer()).send(request(id, wrong));
  expect([refused.status, refused.body.error.code]).toEqual([status, code]);
  await new Promise((r) => setTimeout(r, 300)); // several relay passes: nothing to start
  expect(await traces(id)).toEqual({ campaigns: 0, batches: 0, outbox: 0, workflow: false });

  const corrected = await system.api
    .post('/v1/campaigns')
    .set(marketer())
    .send(request(id, codes({})));
  expect(corrected.status).toBe(201);
  expect(corrected.body).toMatchObject({ id, status: 'active', version: 1, codeBatchId: expect.any(String) });
  await eventually(async () => (await traces(id)).workflow);
  expect(await traces(id)).toMatchObject({ campaigns: 1, batches: 1 });
});

it('a create retried with its Idempotency-Key after a lost answer gets 201 with the campaign it made', async () => {
  const body = request('retried', codes({}));
  const first = await system.api.post('/v1/campaigns').set(marketer()).set('Idempotency-Key', 'create-retried').send(body);
  expect(first.status).toBe(201);
  // The answer never reached the client (a 503 after the commit): nothing stored under the key.
  await system.db.query(`delete from idempotency_keys where key = 'create-retried'`);
  const retry = await system.api.post('/v1/campaigns').set(marketer()).set('Idempotency-Key', 'create-retried').send(body);
  expect(retry.status).toBe(201);
  expect(retry.body).toEqual(first.body);
  const other = await system.api.post('/v1/campaigns').set(marketer()).set('Idempotency-Key', 'another-key').send(body);
  expect([other.status, other.body.error.code]).toEqual([409, 'campaign_exists']);
});

it('two concurrent PATCHes (new endsAt, pause) both survive; with the same If-Match one answers 412', async () => {
  const created = await createCampaign(system, 'contended', { endsAt: inSeconds(3600) });
  for (let round = 0; round < 5; round++) {
    const endsAt = inSeconds(7200 + round);
    const [dates, pause] = await Promise.all([
      system.api.patch('/v1/campaigns/contended').set(marketer()).send({ endsAt }),
      system.api.patch('/v1/campaigns/contended').set(marketer()).send({ status: 'paused' }),
    ]);
    expect([dates.status, pause.status]).toEqual([200, 200]);
    const now = (await system.api.get('/v1/campaigns/contended').set(marketer())).body;
    expect([now.endsAt, now.status]).toEqual([endsAt, 'paused']);
    await system.api.patch('/v1/campaigns/contended').set(marketer()).send({ status: 'active' });
  }

  const read = await system.api.get('/v1/campaigns/contended').set(marketer());
  expect(read.headers.etag).toBe(`"${read.body.version}"`);
  expect(read.body.version).toBeGreaterThan(created.version);
  const answers = await Promise.all([
    system.api
      .patch('/v1/campaigns/contended')
      .set(marketer())
      .set('If-Match', read.headers.etag)
      .send({ endsAt: inSeconds(9000) }),
    system.api.patch('/v1/campaigns/contended').set(marketer()).set('If-Match', read.headers.etag).send({ status: 'paused' }),
  ]);
  expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
  const refused = answers.find((a) => a.status === 412)!;
  expect(refused.body.error).toMatchObject({ code: 'precondition_failed', field: 'If-Match' });
  const winner = answers.find((a) => a.status === 200)!;
  expect(winner.headers.etag).toBe(`"${read.body.version + 1}"`);
});

/** A change sent while 200 events are in flight, and what every event decided after its commit must show. */
const CHANGES_IN_FLIGHT = [
  {
    what: 'a pause',
    change: { status: 'paused' },
    before: (o: Outcome) => o.outcome === 'redeemed',
    after: (o: Outcome) => o.reason === 'campaign_inactive',
  },
  {
    what: 'a rule edit (10 points become 20)',
    change: { rules: [{ ...anyoneRule, effects: [{ type: 'add_points', points: 20 }] }] },
    before: (o: Outcome) => o.outcome === 'redeemed' && o.effects?.[0]?.points === 10,
    after: (o: Outcome) => o.outcome === 'redeemed' && o.effects?.[0]?.points === 20,
  },
];
interface Outcome {
  outcome: string;
  reason?: string;
  effects?: Array<{ points?: number }>;
}

it.each(CHANGES_IN_FLIGHT.map((c, i) => ({ ...c, campaign: `inflight-${i}` })))(
  'of 200 events in flight while $what is sent, every one whose decision committed after it is decided by the change',
  async ({ campaign, change, before, after }) => {
    const n = 200;
    const ids = Array.from({ length: n }, (_, i) => `${campaign}-${i}`);
    const codeOf = (id: string) => id.replace(/-/g, '').toUpperCase();
    await createCampaign(system, campaign);
    await addCodes(system, campaign, ids.map(codeOf));
    await addMembers(system, ids);
    // Commit order, recorded at each commit by deferred triggers: redemption decisions, and the campaign's change.
    // The test's own table and triggers are made (and read) by the superuser, as the app role can't; the trigger
    // writes as its definer.
    const admin = new Database(asDatabaseAdmin(system.databaseUrl));
    await admin.query(`
      create table if not exists test_commit_order (seq bigserial primary key, kind text not null, ref text not null);
      create or replace function test_record_commit() returns trigger language plpgsql security definer as $$
      begin
        if tg_table_name = 'redemption_events' then insert into test_commit_order (kind, ref) values ('event', new.event_id);
        else insert into test_commit_order (kind, ref) values ('change', new.id); end if;
        return null;
      end $$;
      drop trigger if exists test_event_commit on redemption_events;
      drop trigger if exists test_change_commit on campaigns;
      create constraint trigger test_event_commit after insert on redemption_events deferrable initially deferred
        for each row execute function test_record_commit();
      create constraint trigger test_change_commit after update on campaigns deferrable initially deferred
        for each row when (old.status is distinct from new.status or old.rules is distinct from new.rules)
        execute function test_record_commit();`);
    const server: Server = await new Promise((resolve) => {
      const s = system.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const post = (id: string) =>
        fetch(`${base}/v1/events`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEYS.producer}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, name: 'code_entered', memberId: id, attributes: { code: codeOf(id) } }),
        }).then(async (r) => [id, (await r.json()) as Outcome] as const);
      const inFlight = ids.map(post);
      const started = async () =>
        (await system.db.query(`select count(*)::int as n from redemption_events where event_id like $1`, [`${campaign}-%`])).rows[0].n;
      await eventually(async () => (await started()) >= 20, 30_000);
      const patch = await fetch(`${base}/v1/campaigns/${campaign}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${KEYS.marketer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(change),
      });
      expect(patch.status).toBe(200);
      const outcomes = new Map(await Promise.all(inFlight));
      const { rows } = await admin.query(`select seq, kind, ref from test_commit_order order by seq`);
      const changedAt = Number(rows.find((r) => r.kind === 'change' && r.ref === campaign).seq);
      const committed = rows.filter((r) => r.kind === 'event' && outcomes.has(r.ref));
      const decidedAfter = committed.filter((r) => Number(r.seq) > changedAt).map((r) => outcomes.get(r.ref)!);
      const decidedBefore = committed.filter((r) => Number(r.seq) < changedAt).map((r) => outcomes.get(r.ref)!);
      expect(decidedAfter.filter((o) => !after(o))).toEqual([]);
      expect(decidedBefore.filter((o) => !before(o))).toEqual([]);
      // Both sides happened: some decided before the change, the rest after it.
      expect(decidedBefore.length).toBeGreaterThan(0);
      expect(decidedAfter.length).toBeGreaterThan(0);
    } finally {
      await new Promise((r) => server.close(r));
      await admin.close();
    }
  },
);
