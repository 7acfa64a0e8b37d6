import { randomBytes } from 'node:crypto';
import { Database } from '../../db/database';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { freePort } from '../../runtime/ports';
import { addCodes, addMembers } from '../support/fixtures';
import { attributeOf, OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { WebhookReceiver } from '../support/webhook-receiver';
import { createTestDatabase, eventually } from '../support/test-system';
import { anyoneRule } from '../support/campaign-setup';

/**
 * Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT at a collector written here): the API and a worker run as processes of
 * their own, as in production, so the http and pg instrumentations load before what they patch. One redemption
 * with a webhook subscription gives spans of both services that share one trace id, from the HTTP request through
 * its transaction, the outbox relay and the wake-up of the subscription's delivery workflow to the webhook's HTTP attempt;
 * and one code generation gives one trace from its POST through its workflow to each chunk activity's statements.
 */
const KEYS = { marketer: 'trace-marketer-key', producer: 'trace-producer-key', operator: 'trace-operator-key' };
let db: Database;
let api: ServiceProcess;
let worker: ServiceProcess;
let base: string;
/** The API's log lines (JSON), written at debug so that every request has one. */
const apiLog: string[] = [];
const collector = new OtlpReceiver();
const hooks = new WebhookReceiver();

beforeAll(async () => {
  await collector.start();
  await hooks.start();
  const databaseUrl = await createTestDatabase();
  db = new Database(databaseUrl);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: `trace-${randomBytes(6).toString('hex')}`,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    OUTBOX_RELAY_INTERVAL_MS: '50',
    CODE_CHUNK_SIZE: '1000',
  };
  api = await startServiceProcess(
    'api/server.ts',
    {
      ...env,
      PORT: String(port),
      SERVICE_NAME: 'api',
      LOG_LEVEL: 'debug',
      API_KEYS: `marketer:${KEYS.marketer},producer:${KEYS.producer},operator:${KEYS.operator}`,
    },
    [],
    (text) => apiLog.push(...text.split('\n').filter(Boolean)),
  );
  worker = await startServiceProcess('worker/index.ts', { ...env, SERVICE_NAME: 'worker' });
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await db?.close();
  await hooks.stop();
  await collector.stop();
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

it('one redemption with a webhook subscription: one trace from POST /v1/events to the webhook attempt', async () => {
  await call('POST', '/v1/event-schemas', KEYS.marketer, {
    name: 'code_entered',
    attributes: [{ name: 'code', type: 'text', required: true }],
  });
  await call('POST', '/v1/campaigns', KEYS.marketer, {
    id: 'traced',
    name: 'traced',
    status: 'active',
    trigger: { event: 'code_entered', codeAttribute: 'code' },
    rules: [anyoneRule],
  });
  await call('POST', '/v1/webhooks', KEYS.marketer, { url: hooks.url, events: ['redemption.succeeded'] });
  await addCodes(db, { type: 'campaign', id: 'traced' }, ['TRACED1']);
  await addMembers(db, ['traced-member']);

  const outcome = await call('POST', '/v1/events', KEYS.producer, {
    id: 'traced-event',
    name: 'code_entered',
    memberId: 'traced-member',
    attributes: { code: 'TRACED1' },
  });
  expect(outcome.outcome).toBe('redeemed');
  await eventually(async () => hooks.received.length === 1);

  // The attempt's span (the worker) and the request's (the API) arrive in separate exports.
  const trace = await eventually(async () => {
    const attempt = collector.spans.find((s) => s.name === 'webhook attempt');
    if (!attempt) return null;
    const spans = collector.spans.filter((s) => s.traceId === attempt.traceId);
    return spans.some((s) => s.name === 'POST /v1/events') ? spans : null;
  }, 30_000);
  const named = (name: string) => trace.filter((s: ReceivedSpan) => s.name === name);
  const request = named('POST /v1/events');
  expect(request).toHaveLength(1);
  expect(request[0].service).toBe('api');
  expect(request[0].parentSpanId || undefined).toBeUndefined(); // the root
  // The transaction: the pg instrumentation's span of the apply_redemption statement, inside the request.
  expect(trace.some((s) => s.service === 'api' && s.kind === 3 && s.name.startsWith('pg.query'))).toBe(true);
  const relay = named('outbox relay');
  expect(relay).toHaveLength(1);
  expect(relay[0].service).toBe('worker');
  expect(relay[0].parentSpanId).toBe(request[0].spanId);
  // The wake-up of the subscription's delivery workflow (signal-with-start), by the Temporal client interceptor, under the relay.
  expect(
    trace.some((s) => s.name.startsWith('SignalWithStartWorkflow:webhookSubscriptionWorkflow') && s.parentSpanId === relay[0].spanId),
  ).toBe(true);
  const attempt = named('webhook attempt');
  expect(attempt).toHaveLength(1);
  expect(attempt[0].parentSpanId).toBe(request[0].spanId);
  // The HTTP client span of the POST to the receiver, inside the attempt.
  expect(trace.some((s) => s.kind === 3 && s.name === 'POST' && s.parentSpanId === attempt[0].spanId)).toBe(true);
  expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
});

it('one code generation: one trace from POST /v1/code-batches through its workflow to its chunks, and its log line names it', async () => {
  const batch = await call('POST', '/v1/code-batches', KEYS.operator, { quantity: 2500, length: 10, charset: 'alphanumeric' });
  await eventually(async () => (await call('GET', `/v1/code-batches/${String(batch.id)}`, KEYS.operator)).status === 'completed');

  // The workflow's run span ends with it and comes through the worker's sink; the chunks' spans come before it.
  const trace = await eventually(async () => {
    const request = collector.spans.find((s) => s.name === 'POST /v1/code-batches');
    const spans = request ? collector.spans.filter((s) => s.traceId === request.traceId) : [];
    return spans.some((s) => s.name === 'RunWorkflow:generateCodesWorkflow') ? spans : null;
  }, 30_000);
  const named = (name: string) => trace.filter((s: ReceivedSpan) => s.name === name);
  const childrenOf = (parent: ReceivedSpan, name: string) => named(name).filter((s) => s.parentSpanId === parent.spanId);

  // The server span, named by express's route template (api/route-template.ts), which it carries as http.route.
  const [request, ...moreRequests] = named('POST /v1/code-batches');
  expect(moreRequests).toHaveLength(0);
  expect([request.service, request.parentSpanId || undefined, attributeOf(request, 'http.route')]).toEqual([
    'api',
    undefined,
    '/v1/code-batches',
  ]);
  // The API's Temporal client starts the workflow inside the request (runtime/temporal-client.ts)...
  const [start] = childrenOf(request, 'StartWorkflow:generateCodesWorkflow');
  expect(start?.service).toBe('api');
  // ...the worker runs it under that start (workflows/tracing-interceptors.ts, in the bundle)...
  const [run] = childrenOf(start, 'RunWorkflow:generateCodesWorkflow');
  expect(run?.service).toBe('worker');
  // ...and schedules its three chunks, each run by an activity (the worker's activity interceptor) whose
  // statements are pg spans inside it.
  const scheduled = childrenOf(run, 'StartActivity:generateCodeChunk');
  expect(scheduled).toHaveLength(3);
  const chunks = scheduled.flatMap((s) => childrenOf(s, 'RunActivity:generateCodeChunk'));
  expect(chunks).toHaveLength(3);
  for (const chunk of chunks) {
    expect(chunk.service).toBe('worker');
    expect(trace.some((s) => s.kind === 3 && s.name.startsWith('pg.query') && s.parentSpanId === chunk.spanId)).toBe(true);
  }
  expect(childrenOf(run, 'StartActivity:markBatchRunning')).toHaveLength(1);
  expect(childrenOf(run, 'StartActivity:finishBatch')).toHaveLength(1);

  // The API's log line of that request carries the trace's id (runtime/logger.ts).
  const lines = apiLog.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
  const logged = lines.find((l) => l.msg === 'request' && l.method === 'POST' && l.url === '/v1/code-batches');
  expect(logged?.traceId).toBe(request.traceId);
});

it("the long-lived workflows (a subscription's deliveries, a campaign's lifecycle) keep their activities out of the trace that woke them", async () => {
  // Both were started by the relay's signal-with-start, whose span begins the trace their headers carry.
  const wakeUps = collector.spans.filter((s) => s.name.startsWith('SignalWithStartWorkflow:'));
  expect(new Set(wakeUps.map((s) => s.name))).toEqual(
    new Set(['SignalWithStartWorkflow:webhookSubscriptionWorkflow', 'SignalWithStartWorkflow:campaignLifecycleWorkflow']),
  );
  // Their activities did run (the deliveries of the first test, the campaign's reads), as root spans of their own.
  expect(collector.spans.some((s) => s.name === 'RunActivity:deliverWebhookBatch' && !s.parentSpanId)).toBe(true);
  const woken = new Set(wakeUps.map((s) => s.traceId));
  const inTheirTraces = collector.spans.filter((s) => woken.has(s.traceId) && /^(RunWorkflow|StartActivity|RunActivity):/.test(s.name));
  expect(inTheirTraces.map((s) => s.name)).toEqual([]);
});
