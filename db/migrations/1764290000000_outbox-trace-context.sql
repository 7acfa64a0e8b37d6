-- Up Migration
-- The W3C traceparent of the request that wrote an outbox message (OpenTelemetry, README "Operating it"), so the
-- relay and the webhook attempt continue that request's trace. Writers don't name the column: a transaction that
-- sets `loyalty.trace_context` (db/redemption-fast-path.ts does when tracing is on) gets it filled in; otherwise
-- it stays null. No function is redefined for it.
alter table outbox add column trace_context text default nullif(current_setting('loyalty.trace_context', true), '');

-- Down Migration
alter table outbox drop column trace_context;
