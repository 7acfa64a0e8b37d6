import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * Issue 19: an Idempotency-Key on a CSV upload is matched by the file too. The body streams, so it is hashed as
 * the route reads it: the same key with the same file replays the first answer, with another file it answers 422
 * idempotency_key_reused (as a JSON body does) and does nothing.
 */
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
  await createCodeEventSchema(system);
  await createCampaign(system, 'keyed');
  await addCodes(system, 'keyed', ['KEYEDA', 'KEYEDB', 'KEYEDC', 'KEYEDD']);
  await addMembers(system, ['keyed-1', 'keyed-2']);
});
afterAll(() => system?.stop());

const upload = (path: string, key: string, csv: string) =>
  system.api.post(path).set(system.as('operator')).set('Idempotency-Key', key).set('Content-Type', 'text/csv').send(csv);

const count = async (sql: string) => (await system.db.query(sql)).rows[0].n as number;

it.each([
  {
    route: 'POST /v1/code-imports',
    path: '/v1/code-imports',
    first: 'code\nUPLOADKEY1\n',
    other: 'code\nUPLOADKEY2\n',
    done: () => count(`select count(*)::int as n from code_batches where source = 'import'`),
  },
  {
    route: 'POST /v1/code-status-imports',
    path: '/v1/code-status-imports',
    first: 'code,status\nKEYEDA,cancelled\n',
    other: 'code,status\nKEYEDB,cancelled\n',
    done: () => count(`select count(*)::int as n from codes where status = 'cancelled'`),
  },
  {
    route: 'POST /v1/distributions (text/csv)',
    path: '/v1/distributions?pool=campaign:keyed',
    first: 'member_id\nkeyed-1\n',
    other: 'member_id\nkeyed-2\n',
    done: () => count(`select count(*)::int as n from distributions`),
  },
])('$route: the same key replays the same file, and refuses another file with 422', async ({ path, first, other, done }) => {
  const key = `upload-${path}`;
  const answered = await upload(path, key, first);
  expect(answered.status).toBeLessThan(300);
  const before = await done();

  const replayed = await upload(path, key, first);
  expect([replayed.status, replayed.headers['idempotent-replayed'], replayed.body]).toEqual([answered.status, 'true', answered.body]);

  const reused = await upload(path, key, other);
  expect([reused.status, reused.body.error?.code, reused.body.error?.field]).toEqual([422, 'idempotency_key_reused', 'Idempotency-Key']);
  expect(await done()).toBe(before);
  // The file the key did not take is its own request under another key.
  expect((await upload(path, `${key}-other`, other)).status).toBeLessThan(300);
});
