/**
 * Every Prometheus metric of the API and the workers, defined once (README "Operating it"). Services, activities
 * and the worker record into them; the API and each worker's metrics port expose the registry. This module sits at
 * the bottom of the layers beside runtime/ (it imports only prom-client), so anything may record.
 *
 * Labels stay bounded: no code, member, event or delivery id is ever a label; a campaign id is one only for the
 * first MAX_CAMPAIGN_LABELS campaigns a process sees, every later one counts as "other".
 */
import type { Pool, PoolClient } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();

/** METRICS_ENABLED=false turns recording into no-ops and /metrics into a 404 (the bench measures the cost). */
export const metricsEnabled = process.env.METRICS_ENABLED !== 'false';
if (metricsEnabled) collectDefaultMetrics({ register: registry, prefix: 'loyalty_' });

// Latency buckets in seconds: the redemption targets are 3/15/50 ms (§5), a webhook attempt's limit 10 s.
const FAST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SLOW_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const registers = [registry];

export const httpRequests = new Counter({
  name: 'loyalty_http_requests_total',
  help: 'HTTP requests answered, by route template, method and status class (2xx, 4xx, 5xx)',
  labelNames: ['route', 'method', 'status_class'] as const,
  registers,
});
export const httpDuration = new Histogram({
  name: 'loyalty_http_request_duration_seconds',
  help: 'HTTP request latency by route template and method',
  labelNames: ['route', 'method'] as const,
  buckets: FAST_BUCKETS,
  registers,
});
export const redemptionEvents = new Counter({
  name: 'loyalty_redemption_events_total',
  help: 'Events decided by POST /v1/events, by outcome, rejection reason ("" when redeemed) and campaign (capped)',
  labelNames: ['outcome', 'reason', 'campaign'] as const,
  registers,
});
export const redemptionDecision = new Histogram({
  name: 'loyalty_redemption_decision_seconds',
  help: 'Time to decide and apply one event (read, decision, guarded write, retries included)',
  buckets: FAST_BUCKETS,
  registers,
});
export const redemptionGuardRetries = new Counter({
  name: 'loyalty_redemption_guard_retries_total',
  help: 'Redemption writes whose guard failed because a concurrent event changed what they read (contention)',
  registers,
});
export const outboxPending = new Gauge({
  name: 'loyalty_outbox_pending_messages',
  help: 'Outbox messages not yet handed to a delivery workflow (read at scrape by the worker)',
  registers,
});
export const outboxOldestAge = new Gauge({
  name: 'loyalty_outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest outbox message not yet handed to a delivery workflow (0 when none)',
  registers,
});
export const webhookDeliveries = new Counter({
  name: 'loyalty_webhook_deliveries_total',
  help: 'Webhook delivery attempts by result (delivered, retry, failed, cancelled)',
  labelNames: ['result'] as const,
  registers,
});
export const webhookDuration = new Histogram({
  name: 'loyalty_webhook_attempt_duration_seconds',
  help: 'Time of one webhook HTTP attempt',
  buckets: SLOW_BUCKETS,
  registers,
});
export const webhookBacklog = new Gauge({
  name: 'loyalty_webhook_backlog_deliveries',
  help: 'Deliveries pending or retrying, per subscription (the busiest subscriptions only, the rest as "other")',
  labelNames: ['subscription'] as const,
  registers,
});
export const jobsRunning = new Gauge({
  name: 'loyalty_jobs_running',
  help: 'Code jobs running, by kind (generation, import)',
  labelNames: ['kind'] as const,
  registers,
});
export const codesWritten = new Counter({
  name: 'loyalty_codes_written_total',
  help: 'Codes written by generation and import chunks (rate() gives codes per second)',
  labelNames: ['kind'] as const,
  registers,
});
export const reconcilerCloses = new Counter({
  name: 'loyalty_job_reconciler_closes_total',
  help: 'Job rows the reconciler closed because their workflow had ended without closing them',
  registers,
});
/** The pools of this process (the API has one; tests run several systems in one process): summed at scrape. */
const pools = new Set<Pool>();
export const dbPoolConnections = new Gauge({
  name: 'loyalty_db_pool_connections',
  help: 'PostgreSQL pool connections of this process, by state (in_use, idle) and the configured maximum (max)',
  labelNames: ['state'] as const,
  registers,
  collect() {
    const sum = (f: (p: Pool) => number) => [...pools].reduce((n, p) => n + f(p), 0);
    this.set(
      { state: 'in_use' },
      sum((p) => p.totalCount - p.idleCount),
    );
    this.set(
      { state: 'idle' },
      sum((p) => p.idleCount),
    );
    this.set(
      { state: 'max' },
      sum((p) => p.options.max ?? 10),
    );
  },
});
export const dbPoolWaiting = new Gauge({
  name: 'loyalty_db_pool_waiting_requests',
  help: 'Queries waiting for a free PostgreSQL pool connection',
  registers,
  collect() {
    this.set([...pools].reduce((n, p) => n + p.waitingCount, 0));
  },
});
export const dbPoolWait = new Histogram({
  name: 'loyalty_db_pool_wait_seconds',
  help: 'Time a query or transaction waited for a pool connection',
  buckets: FAST_BUCKETS,
  registers,
});

/**
 * Counts a pool in the pool gauges and times every checkout (pool.query checks out through pool.connect too, so
 * the wrapper sees both). Returns the function that stops counting it (on close).
 */
export function trackPool(pool: Pool): () => void {
  pools.add(pool);
  if (metricsEnabled) {
    const connect = pool.connect.bind(pool) as (cb?: (...args: unknown[]) => void) => Promise<PoolClient> | void;
    const timed = (cb?: (...args: unknown[]) => void) => {
      const end = dbPoolWait.startTimer();
      if (cb)
        return connect((...args: unknown[]) => {
          end();
          cb(...args);
        });
      return (connect() as Promise<PoolClient>).finally(end);
    };
    pool.connect = timed as typeof pool.connect;
  }
  return () => pools.delete(pool);
}

export const MAX_CAMPAIGN_LABELS = 100;
const campaignsSeen = new Set<string>();

/** A campaign id as a label: itself for the first MAX_CAMPAIGN_LABELS seen, then "other"; "" for none. */
export function campaignLabel(campaignId: string | null | undefined, seen: Set<string> = campaignsSeen): string {
  if (!campaignId) return '';
  if (seen.has(campaignId)) return campaignId;
  if (seen.size >= MAX_CAMPAIGN_LABELS) return 'other';
  seen.add(campaignId);
  return campaignId;
}

/** 200 → "2xx": status classes keep the label set small. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** The exposition text of this process's registry. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}
