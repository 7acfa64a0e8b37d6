-- Up Migration

-- Deliveries are sent by one long-lived workflow per subscription that takes batches of due rows from here: the
-- table is the backlog (not workflow history). A row is due when it is pending or retrying and its
-- next_attempt_at has passed; a batch leases its rows by moving next_attempt_at past the attempt's time limit,
-- so a worker killed mid-batch leaves them due again once the lease ends (at least once, never lost).
-- retry_from: when the current retry window began (the first attempt, or the last redeliver); run_attempts: the
-- attempts since then (the backoff doubles per attempt of the run; `attempts` keeps counting every attempt).
alter table webhook_deliveries add column retry_from timestamptz, add column run_attempts int not null default 0;
update webhook_deliveries set next_attempt_at = coalesce(next_attempt_at, created_at) where status in ('pending', 'retrying');
create index webhook_deliveries_due on webhook_deliveries (subscription_id, next_attempt_at) where status in ('pending', 'retrying');
-- Whether the subscription's workflow may be asleep (set by a batch before it reads what is left, cleared by the
-- relay that wakes it): the relay signals only a workflow that may sleep, not one per relay pass.
alter table webhook_subscriptions add column delivery_idle boolean not null default true;
-- Retention deletes finished deliveries by age, and outbox rows once no delivery refers to them.
create index webhook_deliveries_finished on webhook_deliveries (created_at) where status in ('delivered', 'failed', 'cancelled');
create index outbox_dispatched on outbox (dispatched_at) where dispatched_at is not null;
create index idempotency_keys_by_age on idempotency_keys (created_at);
create index redemption_events_by_age on redemption_events (created_at) where outcome <> 'redeemed';
create index code_history_by_age on code_history (at);

-- Down Migration
alter table webhook_subscriptions drop column delivery_idle;
drop index code_history_by_age;
drop index redemption_events_by_age;
drop index idempotency_keys_by_age;
drop index outbox_dispatched;
drop index webhook_deliveries_finished;
drop index webhook_deliveries_due;
alter table webhook_deliveries drop column retry_from, drop column run_attempts;
