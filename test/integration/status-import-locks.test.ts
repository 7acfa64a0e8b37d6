import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestSystem, eventually, KEYS, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/**
 * Issue 19: a status import stages its file first and applies it in one short statement, so a slow upload holds
 * no lock on its codes: an event redeeming one of them is decided while the upload is still streaming, and the
 * import, applied after it, reports that row against the code's new status. Still one transaction: all or nothing.
 */
let system: TestSystem;
let server: http.Server;

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'slow-upload');
  await addCodes(system, 'slow-upload', ['SLOWUP1', 'SLOWUP2']);
  await addMembers(system, ['slow-member']);
  server = system.app.listen(0);
});
afterAll(async () => {
  server?.close();
  await system?.stop();
});

/** A status import whose body is written in parts, the request kept open in between. */
function startUpload(first: string) {
  const request = http.request({
    port: (server.address() as AddressInfo).port,
    method: 'POST',
    path: '/v1/code-status-imports',
    headers: { Authorization: `Bearer ${KEYS.operator}`, 'Content-Type': 'text/csv' },
  });
  const answer = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
  });
  request.write(first);
  return (rest: string) => {
    request.end(rest);
    return answer;
  };
}

/** The upload has reached PostgreSQL: its transaction is open (staging the rows, or holding what it applied so far). */
const uploadInFlight = async () =>
  (
    await system.db.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          and (state = 'idle in transaction' or query ilike 'copy status_import_rows%')`,
    )
  ).rows[0].n > 0;

it('an event redeeming a code of a file still streaming in is decided at once; the import then reports it', async () => {
  // Over a reader's batch (1,000 rows) before the pause, so the first rows have reached the database.
  const unknown = (from: number, n: number) => Array.from({ length: n }, (_, i) => `NOSUCHSLOW${from + i},cancelled\n`).join('');
  const finish = startUpload(`code,status,reason\nSLOWUP1,cancelled,lost\n${unknown(0, 2500)}`);
  await eventually(uploadInFlight, 30_000);

  const event = await postEvent(system, 'slow-upload-event', 'slow-member', 'SLOWUP1');
  expect([event.status, event.body.outcome]).toEqual([200, 'redeemed']);

  const report = await finish(`${unknown(2500, 10)}SLOWUP2,cancelled,lost\n`);
  expect(report.status).toBe(200);
  expect(report.body).toMatchObject({ rows: 2512, updated: 1, unchanged: 0, rejected: 2511 });
  expect((report.body.rejections as unknown[])[0]).toEqual({
    line: 2,
    code: 'SLOWUP1',
    reason: 'transition_not_allowed: redeemed -> cancelled',
  });
  const { rows } = await system.db.query(`select code, status from codes where code like 'SLOWUP%' order by code`);
  expect(rows).toEqual([
    { code: 'SLOWUP1', status: 'redeemed' },
    { code: 'SLOWUP2', status: 'cancelled' },
  ]);
});

it('a code changed twice in one file is changed once, and later rows are judged against its new status', async () => {
  await addCodes(system, 'slow-upload', ['TWICE1']);
  const csv = 'code,status\nTWICE1,lost\nTWICE1,fulfilled\nTWICE1,cancelled\nTWICE1,cancelled\n$$,cancelled\nTWICE1,fulfilled\n';
  const res = await system.api.post('/v1/code-status-imports').set(system.as('operator')).set('Content-Type', 'text/csv').send(csv);
  expect(res.body).toEqual({
    rows: 6,
    updated: 1,
    unchanged: 1,
    rejected: 4,
    rejections: [
      { line: 2, code: 'TWICE1', reason: 'invalid_status' },
      { line: 3, code: 'TWICE1', reason: 'transition_not_allowed: unused -> fulfilled' },
      { line: 6, code: '$$', reason: 'invalid_code' },
      { line: 7, code: 'TWICE1', reason: 'transition_not_allowed: cancelled -> fulfilled' },
    ],
  });
  const { rows } = await system.db.query(`select from_status, to_status from code_history where code = 'TWICE1'`);
  expect(rows).toEqual([{ from_status: 'unused', to_status: 'cancelled' }]);
});
