-- Up Migration

create table rewards (
  id text primary key,
  name text not null,
  active boolean not null default true,
  type text not null,
  sub_type text,
  points_cost bigint not null check (points_cost >= 0),
  value text,
  short_description text,
  -- Display texts are stored exactly as given and never rendered by the server.
  confirmation_html text,
  post_confirmation_html text,
  image_url text,
  shown_to_guests boolean not null default false,
  display_order integer not null default 0,
  eligibility jsonb not null default '[]',
  transaction_attributes jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Redemptions (points spent), awards (free) and anonymous reservations of a reward's codes.
create table reward_redemptions (
  id uuid primary key,
  reward_id text not null references rewards (id),
  kind text not null check (kind in ('redemption', 'award', 'reservation')),
  status text not null check (status in ('reserved', 'redeemed', 'awarded', 'expired', 'rolled_back')),
  member_id text references members (id),
  code text not null,
  points bigint not null default 0,
  attributes jsonb not null default '{}',
  reserved_until timestamptz,
  rollback_reason text,
  rolled_back_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index reward_redemptions_by_member on reward_redemptions (member_id, created_at);

-- Down Migration
drop table reward_redemptions;
drop table rewards;
