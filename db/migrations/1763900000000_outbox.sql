-- Up Migration

-- The outbox: every notification that leaves the system (webhooks, alerts) is written here in the same
-- transaction as the change that causes it, so a rolled-back change sends nothing and a committed one is
-- always followed up. A relay hands pending rows to Temporal workflows; `id` is the message id a receiver
-- sees on every delivery attempt (Standard Webhooks `webhook-id`).
create table outbox (
  id uuid primary key,
  type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  -- Set once a Temporal workflow owns the message; rows still null are picked up by the relay.
  dispatched_at timestamptz
);
create index outbox_pending on outbox (created_at) where dispatched_at is null;

-- Down Migration
drop table outbox;
