-- Up Migration

-- Webhook subscriptions: where notifications of the chosen types are sent, signed with the subscription's secret.
create table webhook_subscriptions (
  id uuid primary key,
  url text not null,
  events text[] not null,
  description text,
  -- Standard Webhooks secret (`whsec_` + base64). Kept in clear: it signs every delivery; shown to the API once.
  secret text not null,
  status text not null default 'active' check (status in ('active', 'paused')),
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One delivery per (message, subscription): the relay creates it, a workflow attempts it until it is delivered,
-- gives up, or its subscription goes away. The log of what happened, for GET .../deliveries and redeliver.
create table webhook_deliveries (
  id uuid primary key,
  message_id uuid not null references outbox (id),
  subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
  attempts int not null default 0,
  last_status_code int,
  last_error text,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  -- Bumped by each redeliver: the new run's workflow id carries it.
  runs int not null default 1,
  created_at timestamptz not null default now(),
  unique (message_id, subscription_id)
);
create index webhook_deliveries_by_subscription on webhook_deliveries (subscription_id, created_at desc);

-- Down Migration
drop table webhook_deliveries;
drop table webhook_subscriptions;
