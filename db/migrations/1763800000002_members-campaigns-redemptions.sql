-- Up Migration

-- Members: upserted by id. The balance is kept on the row (guarded by a check) and moved only together with a
-- ledger entry, in the same transaction.
create table members (
  id text primary key,
  tier text,
  segments text[] not null default '{}',
  tags text[] not null default '{}',
  enrolled_at date,
  attributes jsonb not null default '{}',
  balance bigint not null default 0 check (balance >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- The points ledger: every entry unique by its reference, so a retried effect can never book twice.
create table point_transactions (
  id bigint generated always as identity primary key,
  member_id text not null references members (id),
  kind text not null check (kind in ('credit', 'debit')),
  points bigint not null check (points > 0),
  source text not null,
  reference text not null unique,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index point_transactions_by_member on point_transactions (member_id, id);

-- Custom event schemas: events are checked against the active schema of their name.
create table event_schemas (
  name text primary key,
  attributes jsonb not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table campaigns (
  id text primary key,
  name text not null,
  description text,
  translations jsonb not null default '{}',
  starts_at timestamptz,
  ends_at timestamptz,
  display_order integer not null default 0,
  visibility jsonb not null,
  status text not null check (status in ('draft', 'active', 'inactive')),
  trigger_event text not null,
  trigger_attribute text not null,
  rules jsonb not null,
  frequency jsonb,
  budget_kind text check (budget_kind in ('points', 'redemptions')),
  budget_cap bigint check (budget_cap > 0),
  -- Budget consumed so far: moved with a conditional update (used + n <= cap) so it can never overshoot.
  budget_used bigint not null default 0 check (budget_used >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at is null or starts_at is null or ends_at > starts_at),
  check ((budget_kind is null) = (budget_cap is null)),
  check (budget_cap is null or budget_used <= budget_cap)
);
create index campaigns_by_trigger on campaigns (trigger_event);

-- One row per event id: the outcome of its redemption, decided and stored in the transaction that applied it.
create table redemption_events (
  event_id text primary key,
  campaign_id text,
  member_id text,
  code text,
  api_key text,
  outcome text not null check (outcome in ('redeemed', 'rejected')),
  reason text,
  result jsonb not null,
  points bigint not null default 0,
  -- Guessing failures (unknown, used, cancelled or wrong-campaign code) count toward the lockout.
  guess_failure boolean not null default false,
  rolled_back_at timestamptz,
  created_at timestamptz not null default now()
);
create index redemption_events_by_campaign on redemption_events (campaign_id, outcome, reason);
create index redemption_events_frequency on redemption_events (campaign_id, member_id, created_at) where outcome = 'redeemed' and rolled_back_at is null;
create index redemption_events_member_failures on redemption_events (member_id, created_at) where guess_failure;
create index redemption_events_key_failures on redemption_events (api_key, created_at) where guess_failure;

-- Down Migration
drop table redemption_events;
drop table campaigns;
drop table event_schemas;
drop table point_transactions;
drop table members;
