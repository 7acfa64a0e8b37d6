import { Router, type RequestHandler } from 'express';
import { routeTemplate } from './route-template';
import { httpDuration, httpRequests, metricsEnabled, metricsText, registry, statusClass } from '../observability/metrics';
import type { AppContext } from '../services/context';

/** How long /readyz waits for each dependency before calling it unreachable (a probe must answer fast). */
export const READY_TIMEOUT_MS = 2000;

/** RED metrics per request, labelled by the route template express matched (api/route-template.ts). */
export const requestMetrics: RequestHandler = (req, res, next) => {
  if (!metricsEnabled) return next();
  const end = httpDuration.startTimer();
  res.once('finish', () => {
    const labels = { route: routeTemplate(req), method: req.method };
    end(labels);
    httpRequests.inc({ ...labels, status_class: statusClass(res.statusCode) });
  });
  next();
};

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** "ok" or why the dependency can't be used. */
async function check(work: () => Promise<unknown>): Promise<string> {
  try {
    await within(work(), READY_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Unauthenticated operations endpoints: `/healthz` (liveness: the process answers and reaches PostgreSQL),
 * `/readyz` (readiness: PostgreSQL and Temporal both reachable, else 503 naming which) and `/metrics`.
 */
export function operationsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    await ctx.db.query('select 1');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      check(() => ctx.db.query('select 1')),
      // A deadline, not only a timeout: the client's own retries must stop when the probe gives up.
      check(() =>
        ctx.temporal.connection.withDeadline(Date.now() + READY_TIMEOUT_MS, () => ctx.temporal.workflowService.getSystemInfo({})),
      ),
    ]);
    const down = Object.entries({ database, temporal }).filter(([, state]) => state !== 'ok');
    if (down.length === 0) return res.json({ status: 'ready', checks: { database, temporal } });
    res.status(503).json({
      error: { code: 'not_ready', message: `unreachable: ${down.map(([name, why]) => `${name} (${why})`).join(', ')}` },
      checks: { database, temporal },
    });
  });
  router.get('/metrics', async (_req, res) => {
    if (!metricsEnabled) return res.status(404).json({ error: { code: 'not_found', message: 'metrics are off (METRICS_ENABLED=false)' } });
    res.type(registry.contentType).send(await metricsText());
  });
  return router;
}
