-- Up Migration

-- A pool is where codes live: a campaign's, a reward's, or the one unassociated bank that rewards draw from
-- when their own pool is empty. Campaigns and rewards attach by (kind, owner_id).
create table code_pools (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('bank', 'campaign', 'reward')),
  owner_id text,
  created_at timestamptz not null default now(),
  check ((kind = 'bank') = (owner_id is null)),
  unique (kind, owner_id)
);
create unique index code_pools_single_bank on code_pools (kind) where kind = 'bank';
insert into code_pools (kind) values ('bank');

-- A batch is one generation request (later also one import); the workflow that fills it is keyed by its id.
create table code_batches (
  id uuid primary key,
  pool_id uuid not null references code_pools (id),
  source text not null check (source in ('generation', 'import')),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
  requested integer not null check (requested > 0),
  spec jsonb, -- generation settings; null for an import
  -- Codes of one shape (alphabet, length, prefix, suffix) share a keyspace: see domain/keyspace.ts.
  shape text,
  workflow_id text not null,
  created_by text,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index code_batches_shape on code_batches (shape) where shape is not null;

-- One row per committed chunk: written in the chunk's own transaction, so a retried chunk finds its work done.
-- Progress is the sum of these rows, never a counter that a retry could bump twice.
create table code_batch_chunks (
  batch_id uuid not null references code_batches (id),
  chunk_index integer not null,
  inserted integer not null default 0,
  redraws integer not null default 0,
  committed_at timestamptz not null default now(),
  primary key (batch_id, chunk_index)
);

create type code_status as enum ('unused', 'reserved', 'redeemed', 'awarded', 'fulfilled', 'cancelled');

-- The code itself is the key: unique across the whole system, in its normalised form.
-- pool_id and batch_id carry no per-row foreign key: its trigger costs more than the COPY itself (8 s per
-- million rows measured). Pools and batches are permanent instead: they can't be deleted (trigger below), and
-- codes are only ever written with ids read from those rows in the same transaction (db/codes.ts).
-- Byte order (collate "C"): prefix search and cursor pagination walk the primary key directly.
create table codes (
  code text collate "C" primary key,
  pool_id uuid not null,
  batch_id uuid,
  status code_status not null default 'unused',
  member_id text,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  status_changed_at timestamptz
);

create function refuse_delete() returns trigger language plpgsql as $$
begin
  raise exception '% rows are permanent: codes refer to them', tg_table_name;
end $$;
create trigger code_pools_are_permanent before delete or truncate on code_pools
  for each statement execute function refuse_delete();
create trigger code_batches_are_permanent before delete or truncate on code_batches
  for each statement execute function refuse_delete();

-- A code's history, for troubleshooting: status changes and redemption attempts (campaigns, rewards).
create table code_history (
  id bigint generated always as identity primary key,
  code text not null,
  kind text not null check (kind in ('status_change', 'redemption_attempt')),
  from_status code_status,
  to_status code_status,
  event_id text,
  member_id text,
  outcome text,
  reason text,
  actor text,
  details jsonb,
  at timestamptz not null default now()
);
create index code_history_by_code on code_history (code, id);

-- Idempotency-Key on POSTs: the first answer is stored and replayed for a retry with the same key.
create table idempotency_keys (
  principal text not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status_code integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (principal, key)
);

-- Down Migration
drop table idempotency_keys;
drop table code_history;
drop table codes;
drop trigger code_batches_are_permanent on code_batches;
drop trigger code_pools_are_permanent on code_pools;
drop function refuse_delete();
drop type code_status;
drop table code_batch_chunks;
drop table code_batches;
drop table code_pools;
