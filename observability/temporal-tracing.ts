/**
 * Temporal's OpenTelemetry interceptors (@temporalio/interceptors-opentelemetry), installed only when tracing is on
 * (observability/tracing.ts): a client carries the active trace context in the headers of what it starts or
 * signals, the workflow continues it (workflows/tracing-interceptors.ts, bundled), and so does each activity.
 * Off, nothing here loads the package and the client and worker get no interceptor at all.
 */
import { trace, type ProxyTracerProvider } from '@opentelemetry/api';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { tracingEnabled } from './tracing';

type TemporalOtel = typeof import('@temporalio/interceptors-opentelemetry');
type Resource = Parameters<TemporalOtel['makeWorkflowExporter']>[1];

function temporalOtel(): TemporalOtel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  return require('@temporalio/interceptors-opentelemetry') as TemporalOtel;
}

/** A Temporal client's interceptors: with tracing on, starts, signals and queries are spans with their context in the headers. */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  if (!tracingEnabled) return undefined;
  return { workflow: [new (temporalOtel().OpenTelemetryWorkflowClientInterceptor)()] };
}

/** A sink that drops the workflow sandbox's spans. */
const DROP_SPANS: NonNullable<WorkerOptions['sinks']> = { exporter: { export: { fn: () => undefined } } };

/**
 * What a worker adds for tracing: activity interceptors (each execution a span under the workflow's, the pg and
 * http spans inside it) and the `exporter` sink through which the workflow sandbox hands its spans to this
 * process's span processor. Off: only a sink that drops them, for a workflow started with a trace context by a
 * client that traces (an API with tracing on in front of a worker without), so the worker doesn't log an error
 * for an unknown sink on each of its activations.
 */
export function workerTracing(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  // The SDK started by observability/tracing.ts registers its provider globally: its processor exports our spans
  // (none registered: tracing was asked for but not started in this process, e.g. a worker inside a test).
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as Partial<BasicTracerProvider>;
  if (!tracingEnabled || !provider.activeSpanProcessor) return { sinks: DROP_SPANS };
  const otel = temporalOtel();
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: otel.makeWorkflowExporter(provider.activeSpanProcessor, provider.resource as Resource) },
  };
}
