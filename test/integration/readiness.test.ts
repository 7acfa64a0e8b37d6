import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import { Database, UNLIMITED } from '../../db/database';
import { loadConfig } from '../../runtime/config';
import { closedPort } from '../support/webhook-receiver';
import { createTestDatabase } from '../support/test-system';

/**
 * /readyz against the real PostgreSQL and Temporal, and against each replaced by a port nobody listens on:
 * 503 naming exactly what is unreachable. /healthz (liveness) does not look at Temporal.
 */
const cases = [
  { name: 'both reachable', databaseUp: true, temporalUp: true, status: 200, down: [] as string[] },
  { name: 'Temporal unreachable', databaseUp: true, temporalUp: false, status: 503, down: ['temporal'] },
  { name: 'PostgreSQL unreachable', databaseUp: false, temporalUp: true, status: 503, down: ['database'] },
  { name: 'both unreachable', databaseUp: false, temporalUp: false, status: 503, down: ['database', 'temporal'] },
];

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});

it.each(cases)('$name: /readyz answers $status', async ({ databaseUp, temporalUp, status, down }) => {
  const db = new Database(databaseUp ? databaseUrl : `postgres://nobody@127.0.0.1:${await closedPort()}/none`, {
    ...UNLIMITED,
    connectTimeoutMs: 1000,
  });
  // A lazy connection: the client exists, and every call fails while nothing answers at the address. Without the
  // client's retry interceptor: a retry pending when the test closes the connection would throw from its timer.
  const connection = Connection.lazy({
    address: temporalUp ? process.env.TEST_TEMPORAL_ADDRESS! : `127.0.0.1:${await closedPort()}`,
    connectTimeout: 1000,
    interceptors: [],
  });
  const app = createApp({ db, temporal: new Client({ connection }), config: loadConfig() }, parseApiKeys('admin:readiness-test-key'));
  try {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(status);
    const checks = res.body.checks as Record<string, string>;
    expect(Object.keys(checks).filter((k) => checks[k] !== 'ok')).toEqual(down);
    if (status === 503) {
      expect(res.body.error.code).toBe('not_ready');
      for (const name of down) expect(res.body.error.message).toContain(name);
    }
    expect((await request(app).get('/healthz')).status).toBe(databaseUp ? 200 : 503);
  } finally {
    await connection.close().catch(() => undefined);
    await db.close();
  }
});
