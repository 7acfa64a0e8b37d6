import { startTestSystem, type TestSystem } from '../support/test-system';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/**
 * Issue 19: a stalled PostgreSQL (SIGSTOP on the postmaster and every backend: connections stay open, nothing
 * answers, the worst kind of outage) must not hang requests. With the shipped defaults (README "Configuration":
 * connection wait, statement and lock timeouts, the client's read timeout) an event answers 503
 * service_unavailable while the server is frozen; the API stays up; the 503 is not a decision, so the same event
 * sent after the thaw is decided then. Nothing here times the answers (the machine is shared): without the bounds
 * the requests would wait for the thaw, past the test's own timeout.
 */
let postgres: OwnPostgres;
let system: TestSystem;

beforeAll(async () => {
  postgres = await startOwnPostgres('loyalty-stall-');
  system = await startTestSystem({ databaseUrl: postgres.databaseUrl, inProcessWorker: false });
  await createCodeEventSchema(system);
  await createCampaign(system, 'stall');
  await addCodes(system, 'stall', ['STALLWARM', 'STALL1', 'STALL2', 'STALL3']);
  await addMembers(system, ['stall-warm', 'stall-1', 'stall-2', 'stall-3']);
}, 120_000);
afterAll(async () => {
  postgres?.thaw();
  await system?.stop();
  await postgres?.cleanUp();
});

it('events answer 503 while PostgreSQL is frozen, and the same events are decided after the thaw', async () => {
  // The pool holds connections to the server when it freezes: their queries get no answer at all.
  expect((await postEvent(system, 'stall-warm', 'stall-warm', 'STALLWARM')).body.outcome).toBe('redeemed');

  postgres.freeze();
  try {
    // More at once than the pool has idle: some wait on a frozen connection, the others for a new one.
    const answers = await Promise.all([1, 2, 3].map((i) => postEvent(system, `stalled-${i}`, `stall-${i}`, `STALL${i}`)));
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual(Array(3).fill([503, 'service_unavailable']));
    expect(answers.every((a) => a.headers['retry-after'] === '5')).toBe(true);
    // The API is still up: it answers a health check (the database is away, so 503 too).
    const health = await system.api.get('/healthz');
    expect([health.status, health.body.error?.code]).toEqual([503, 'service_unavailable']);
  } finally {
    postgres.thaw();
  }

  // A 503 is a refusal to decide, never stored under the event id: the same events are decided now.
  for (const i of [1, 2, 3]) {
    const again = await postEvent(system, `stalled-${i}`, `stall-${i}`, `STALL${i}`);
    expect([again.status, again.body.outcome, again.body.code]).toEqual([200, 'redeemed', `STALL${i}`]);
  }
  const { rows } = await system.db.query(`select event_id from redemption_events where event_id like 'stalled-%' order by event_id`);
  expect(rows.map((r) => r.event_id)).toEqual(['stalled-1', 'stalled-2', 'stalled-3']);
}, 90_000);
