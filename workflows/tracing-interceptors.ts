/**
 * The workflow interceptors bundled with every workflow (runtime/workflow-bundle.ts): OpenTelemetry's
 * (@temporalio/interceptors-opentelemetry), for a workflow started with a trace context in its headers only,
 * i.e. by a client that traces (observability/temporal-tracing.ts), and not one of the long-lived ones. Such a
 * workflow's run is a span under the starter's, and each activity it schedules a span whose context travels to
 * the activity in its headers.
 *
 * Why gated rather than always on: the decision follows the start's headers, which history records, so a replay
 * decides alike; a workflow started without tracing (all of them when tracing is off, and every history recorded
 * before this module existed) runs exactly the code it ran before, with no span made and no sink called.
 */
import {
  workflowInfo,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

/** The header the OpenTelemetry client interceptor writes the trace context into (the package's TRACE_HEADER). */
const TRACE_HEADER = '_tracer-data';

/**
 * Workflows that live for ever (continuing as new) and serve everything that comes after their start: traced, all
 * of their activities would pile up in the trace of whatever first woke them. Their work is traced per message
 * instead (the webhook attempt continues its message's stored context); their activities are root spans.
 */
const LONG_LIVED = new Set(['webhookSubscriptionWorkflow', 'campaignLifecycleWorkflow']);

/**
 * Gives `target` every method of `source`, bound to it. The SDK composes interceptors at each call from the
 * methods present then, so from this moment on the calls go through `source`.
 */
function adopt<T extends object>(target: T, source: T): void {
  const proto = Object.getPrototypeOf(source) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    if (name !== 'constructor' && typeof method === 'function') (target as Record<string, unknown>)[name] = method.bind(source);
  }
}

/** Called once per workflow execution: the objects (and whether they trace) are that execution's own. */
export const interceptors = (): WorkflowInterceptors => {
  const outbound: WorkflowOutboundCallsInterceptor = {};
  const internals: WorkflowInternalsInterceptor = {};
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      if (input.headers[TRACE_HEADER] === undefined || LONG_LIVED.has(workflowInfo().workflowType)) return next(input);
      const traced = new OpenTelemetryInboundInterceptor();
      adopt(inbound, traced);
      adopt(outbound, new OpenTelemetryOutboundInterceptor());
      adopt(internals, new OpenTelemetryInternalsInterceptor());
      return traced.execute(input, next);
    },
  };
  return { inbound: [inbound], outbound: [outbound], internals: [internals] };
};
