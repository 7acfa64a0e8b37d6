import http from 'node:http';
import { metricsEnabled, metricsText, registry } from './metrics';

export interface WorkerMetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A worker's `GET /metrics`: this process's registry, then the Temporal SDK's own metrics (`temporal_…`), which the
 * SDK's Rust core serves on a loopback port of its own (runtime/temporal-runtime.ts); one scrape target per
 * worker. `refresh` runs first (the worker reads the outbox and job gauges from PostgreSQL then). A failed
 * refresh or an unreachable core still answers what is known: a scrape must not fail because one source did.
 */
export async function startWorkerMetricsServer(options: {
  port: number;
  host?: string;
  temporalMetricsUrl?: string;
  refresh(): Promise<void>;
}): Promise<WorkerMetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics' || !metricsEnabled) {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      await options.refresh().catch(() => undefined);
      const ours = await metricsText();
      const temporal = options.temporalMetricsUrl
        ? await fetch(options.temporalMetricsUrl)
            .then((r) => r.text())
            .catch(() => '')
        : '';
      res.writeHead(200, { 'content-type': registry.contentType }).end(`${ours}\n${temporal}`);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
