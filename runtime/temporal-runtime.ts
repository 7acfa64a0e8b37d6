import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
let installed = false;

/**
 * Temporal's own worker logs follow LOG_LEVEL like ours do. Must run before the first Temporal connection.
 * `metricsBindAddress` (a worker process: worker/index.ts) also turns on the SDK's metrics, in Prometheus format
 * with the `temporal_` prefix on that (loopback) address, which the worker's /metrics serves beside ours
 * (observability/worker-metrics-server.ts). Seconds and `_total` suffixes, as Prometheus names things.
 */
export function installTemporalRuntime(metricsBindAddress?: string): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(LEVELS[process.env.LOG_LEVEL ?? 'info'] ?? 'INFO'),
    ...(metricsBindAddress
      ? {
          telemetryOptions: {
            metrics: {
              metricPrefix: 'temporal_',
              prometheus: { bindAddress: metricsBindAddress, countersTotalSuffix: true, useSecondsForDurations: true },
            },
          },
        }
      : {}),
  });
}
