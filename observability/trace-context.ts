/**
 * Carrying a trace across the outbox: the W3C `traceparent` of the active span is stored with the outbox row and
 * taken up again by the relay and the webhook attempt. Only @opentelemetry/api is used here: with tracing off
 * (no SDK started, observability/tracing.ts) there is no active span, so every helper is a cheap no-op.
 */
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';

const tracer = trace.getTracer('loyalty-codes');

/** The active span as a `traceparent` header value, or null when nothing is traced. */
export function currentTraceparent(): string | null {
  if (!trace.getActiveSpan()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored `traceparent` names (none stored: the active context, so a span becomes a root). */
function contextOf(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
}

/**
 * Runs `work` in a span named `name` whose parent is the stored trace context. An exception marks the span as
 * failed and is rethrown. With tracing off the tracer is a no-op.
 */
export function inSpanFrom<T>(traceparent: string | null | undefined, name: string, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, {}, contextOf(traceparent), async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active trace id, for log lines (undefined when nothing is traced). */
export function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
