import type { Response, Test } from 'supertest';
import { startTestSystem, type TestSystem } from './test-system';
import { addCodes, createCampaign, createCodeEventSchema } from './campaign-setup';

/*
 * Property-based hostile input against the real API: malformed, oversized, wrongly typed and hostile values for
 * every endpoint family. A refused request must answer a 4xx in the error shape, quickly, and write nothing; a
 * hostile value the API may take (free text) must never cause a 5xx and must come back as it was sent.
 */

let system: TestSystem;
let admin: { Authorization: string };

export const EXISTING_CAMPAIGN = 'hostile-existing';
export const SEEDED_CODES = ['HOSTILESEED0001', 'HOSTILESEED0002', 'HOSTILESEED0003'];

/** The system every hostile-input test file runs against (one per file), and the count report at its end. */
export function useHostileSystem(): void {
  beforeAll(async () => {
    // Failed code attempts must not lock the admin key out: hostile events are judged on their input alone.
    system = await startTestSystem({ env: { LOCKOUT_MAX_FAILURES: '1000000', LOCKOUT_KEY_MIN_FAILURES: '1000000' } });
    admin = system.as('admin');
    await createCodeEventSchema(system);
    await createCampaign(system, EXISTING_CAMPAIGN);
    await addCodes(system, EXISTING_CAMPAIGN, SEEDED_CODES);
  });
  afterAll(async () => {
    for (const [endpoint, n] of [...tried].sort(([a], [b]) => a.localeCompare(b))) console.log(`hostile inputs tried: ${endpoint} ${n}`);
    console.log(`hostile inputs tried: total ${[...tried.values()].reduce((a, b) => a + b, 0)}`);
    await system?.stop();
  });
}

export const hostileSystem = () => system;

// ---------------------------------------------------------------------------------------------------------------
// Bookkeeping: how many inputs each endpoint saw, and a fingerprint of every table a request could write.

export const tried = new Map<string, number>();
export const count = (endpoint: string) => tried.set(endpoint, (tried.get(endpoint) ?? 0) + 1);

export function report(family: string, endpoints: string[], before: Map<string, number>) {
  const lines = endpoints.map((e) => `${e}: ${(tried.get(e) ?? 0) - (before.get(e) ?? 0)}`);
  const total = endpoints.reduce((sum, e) => sum + (tried.get(e) ?? 0) - (before.get(e) ?? 0), 0);
  console.log(`${family}: ${total} hostile inputs tried (${lines.join(', ')})`);
}

export const TABLES = [
  'code_pools',
  'code_batches',
  'code_batch_chunks',
  'codes',
  'code_history',
  'code_import_rows',
  'code_import_rejections',
  'members',
  'point_transactions',
  'event_schemas',
  'campaigns',
  'redemption_events',
  'rewards',
  'reward_redemptions',
];
export const FINGERPRINT_SQL = `select ${TABLES.map((t) => `(select count(*) || ':' || coalesce(md5(string_agg(x::text, ',' order by x::text)), '') from ${t} x) as ${t}`).join(', ')}`;

/** Row count and content hash of every table: "nothing was written" means this did not change. */
export async function fingerprint(): Promise<Record<string, string>> {
  return (await system.db.query(FINGERPRINT_SQL)).rows[0];
}

/** Fails in a way that names the input (fast-check shows the counterexample). */
export function fail(message: string, res?: Response): never {
  throw new Error(`${message}${res ? `: ${res.status} ${res.text?.slice(0, 300)}` : ''}`);
}

/** Nothing hangs: every request has a deadline. */
export const DEADLINE = { response: 15_000, deadline: 20_000 };
export const SLOW_MS = 5_000;

export function expectErrorShape(res: Response) {
  const error = res.body?.error;
  if (!res.headers['content-type']?.startsWith('application/json')) fail('the error is not JSON', res);
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') fail('the error is not { error: { code, message } }', res);
  if (error.field !== undefined && typeof error.field !== 'string') fail('error.field is not a string', res);
}

/** A refused request: a 4xx among `statuses`, the error shape, nothing written. */
export async function expectRefused(res: Response, before: Record<string, string>, statuses?: number[]) {
  if (res.status < 400 || res.status >= 500) fail('expected a 4xx', res);
  if (statuses && !statuses.includes(res.status)) fail(`expected one of ${statuses.join('/')}`, res);
  expectErrorShape(res);
  const after = await fingerprint();
  const changed = TABLES.filter((t) => after[t] !== before[t]);
  if (changed.length) fail(`a refused request wrote to ${changed.join(', ')}`, res);
}

/** A request the API may take or refuse: never a 5xx; a refusal in the error shape. */
export function expectNo5xx(res: Response) {
  if (res.status >= 500) fail('a 5xx', res);
  if (res.status >= 400) expectErrorShape(res);
}

/**
 * Every request, with the admin key and a deadline; an answer slower than SLOW_MS fails too (a request that blocks
 * the event loop would also block the client's own timeout timer, so the deadline alone can't see it).
 */
export function send(method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string): Test {
  const test = system.api[method](url).set(admin).timeout(DEADLINE);
  const then = test.then.bind(test);
  test.then = ((onFulfilled, onRejected) => {
    const started = Date.now();
    return then((res) => {
      const ms = Date.now() - started;
      if (ms > SLOW_MS) fail(`answered after ${ms} ms`, res);
      return res;
    }).then(onFulfilled, onRejected);
  }) as Test['then'];
  return test;
}
export const sendJson = (method: 'post' | 'put' | 'patch', url: string, body: string | Buffer, contentType = 'application/json') =>
  send(method, url).set('Content-Type', contentType).send(body);
