/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set (README "Operating it"). Imported first
 * by the API's and the worker's entry points, so the http and pg instrumentations patch those modules before
 * anything loads them. Off, nothing of the SDK is even loaded: the cost is one environment lookup.
 *
 * The exporter follows the standard OTEL_* variables (protocol http/protobuf by default, OTEL_EXPORTER_OTLP_PROTOCOL
 * to change it, OTEL_SERVICE_NAME, OTEL_BSP_* for batching).
 */
export const tracingEnabled = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);

let stop: (() => Promise<void>) | undefined;

export function startTracing(serviceName: string): void {
  if (!tracingEnabled || stop) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  process.env.OTEL_SERVICE_NAME ||= serviceName;
  process.env.OTEL_LOGS_EXPORTER ||= 'none'; // traces only: metrics are Prometheus's, logs are JSON lines with the trace id
  const sdk = new NodeSDK({
    instrumentations: [
      // Probes and scrapes would be most of the spans and say nothing.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  stop = () => sdk.shutdown();
}

/** Flushes the spans still buffered (at exit). */
export async function stopTracing(): Promise<void> {
  await stop?.();
}
