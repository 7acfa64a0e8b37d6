import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { startServiceProcess, type ServiceProcess } from '../../runtime/service-process';
import { WebhookReceiver } from '../support/webhook-receiver';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { metricValue, parseMetrics, seriesNames, type MetricFamily } from '../support/prometheus-text';
import { opsMetricNames } from '../support/ops-metrics';

/**
 * /metrics of the API (in this process) and of a worker (its own process and port, as in production), read with
 * a Prometheus text parser: counters move by exactly what was done, and every metric the shipped alert rules and
 * dashboard use is really exposed.
 */
const ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  OUTBOX_RELAY_INTERVAL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
};
let system: TestSystem;
let worker: ServiceProcess;
let receiver: WebhookReceiver;

beforeAll(async () => {
  system = await startTestSystem({ inProcessWorker: false, env: ENV });
  worker = await startServiceProcess('worker/index.ts', {
    ...ENV,
    DATABASE_URL: system.databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: system.config.taskQueue,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
  });
  receiver = await new WebhookReceiver().start();
  await createCodeEventSchema(system);
  await createCampaign(system, 'metrics-campaign');
  await addCodes(system, 'metrics-campaign', ['METRIC1', 'METRIC2', 'METRIC3']);
  await addMembers(system, ['m1', 'm2', 'm3', 'm4']);
  const sub = await system.api
    .post('/v1/webhooks')
    .set(system.as('marketer'))
    .send({ url: receiver.url, events: ['redemption.succeeded'] });
  expect(sub.status).toBe(201);
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.stop();
  await system?.stop();
});

async function apiMetrics(): Promise<MetricFamily[]> {
  const res = await system.api.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return parseMetrics(res.text);
}
async function workerMetrics(): Promise<MetricFamily[]> {
  const res = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

it('after events of known outcomes the counters moved by exactly those numbers, on the API and on the worker', async () => {
  const before = await apiMetrics();
  const workerBefore = await workerMetrics();
  const events = [
    ['e1', 'm1', 'METRIC1', 200],
    ['e2', 'm2', 'METRIC2', 200],
    ['e3', 'm3', 'METRIC3', 200],
    ['e4', 'm4', 'NOPE1', 200],
    ['e5', 'm4', 'NOPE2', 200],
  ] as const;
  for (const [id, member, code, status] of events) expect((await postEvent(system, id, member, code)).status).toBe(status);
  const unauthorised = await system.api.post('/v1/events').send({});
  expect(unauthorised.status).toBe(401);

  const after = await apiMetrics();
  const moved = (name: string, labels: Record<string, string> = {}) => metricValue(after, name, labels) - metricValue(before, name, labels);
  expect(moved('loyalty_redemption_events_total', { outcome: 'redeemed', reason: '', campaign: 'metrics-campaign' })).toBe(3);
  expect(moved('loyalty_redemption_events_total', { outcome: 'rejected', reason: 'unknown_code' })).toBe(2);
  expect(moved('loyalty_redemption_events_total')).toBe(5);
  expect(moved('loyalty_redemption_decision_seconds')).toBe(5);
  expect(moved('loyalty_http_requests_total', { route: '/v1/events', method: 'POST', status_class: '2xx' })).toBe(5);
  // Refused before any route matched its handler: counted, by the route express matched or "unmatched".
  expect(moved('loyalty_http_requests_total', { method: 'POST', status_class: '4xx' })).toBe(1);
  expect(metricValue(after, 'loyalty_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);

  // The three redemptions' webhooks: delivered by the worker, counted on its own endpoint.
  await eventually(async () => receiver.received.length >= 3);
  const workerAfter = await eventually(async () => {
    const m = await workerMetrics();
    return metricValue(m, 'loyalty_webhook_deliveries_total', { result: 'delivered' }) -
      metricValue(workerBefore, 'loyalty_webhook_deliveries_total', { result: 'delivered' }) >=
      3
      ? m
      : null;
  });
  expect(
    metricValue(workerAfter, 'loyalty_webhook_deliveries_total', { result: 'delivered' }) -
      metricValue(workerBefore, 'loyalty_webhook_deliveries_total', { result: 'delivered' }),
  ).toBe(3);
  expect(receiver.received).toHaveLength(3);
  expect(metricValue(workerAfter, 'loyalty_outbox_pending_messages')).toBe(0);
});

it("the worker's endpoint carries the Temporal SDK's own metrics, and every metric the alerts and dashboard use exists", async () => {
  const worker_ = await workerMetrics();
  const temporal = worker_.filter((f) => f.name.startsWith('temporal_'));
  expect(temporal.length).toBeGreaterThan(5);
  const exposed = new Set([...seriesNames(await apiMetrics()), ...seriesNames(worker_)]);
  const missing = [...opsMetricNames()].filter((name) => !exposed.has(name));
  expect(missing).toEqual([]);
});

it('answers /readyz 200 with both dependencies reachable, and keeps /healthz as liveness', async () => {
  const ready = await system.api.get('/readyz');
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  expect((await system.api.get('/healthz')).status).toBe(200);
});
