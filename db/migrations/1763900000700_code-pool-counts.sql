-- Up Migration

-- Per-pool code counts by status, kept by the database itself so /stats and certificate counts read a few rows
-- instead of counting a million codes. Insert-only: every statement that writes codes appends its net change per
-- (pool, status), and a count is the sum of a pool's rows. A single counter row per pool would be exact too, but
-- every redemption of the pool would then queue on that row's lock; appended rows never conflict. Compaction
-- (db/code-pool-counts.ts, run by the worker) folds a pool's rows into one per status in one statement.
create table code_pool_count_deltas (
  pool_id uuid not null,
  status code_status not null,
  n bigint not null
);
create index code_pool_count_deltas_by_pool on code_pool_count_deltas (pool_id) include (status, n);

-- Statement-level triggers with transition tables: a 50,000-row COPY appends one row per (pool, status) it
-- touched, a redemption's status change two (old status -1, new status +1). A change of pool_id moves the count
-- the same way; an update that changes neither nets to zero and appends nothing.
create function code_counts_after_insert() returns trigger language plpgsql as $$
begin
  insert into code_pool_count_deltas (pool_id, status, n)
  select pool_id, status, count(*) from new_rows group by pool_id, status;
  return null;
end $$;

create function code_counts_after_update() returns trigger language plpgsql as $$
begin
  insert into code_pool_count_deltas (pool_id, status, n)
  select pool_id, status, sum(n) from (
    select pool_id, status, -1 as n from old_rows
    union all
    select pool_id, status, 1 from new_rows) changes
  group by pool_id, status having sum(n) <> 0;
  return null;
end $$;

create function code_counts_after_delete() returns trigger language plpgsql as $$
begin
  insert into code_pool_count_deltas (pool_id, status, n)
  select pool_id, status, -count(*) from old_rows group by pool_id, status;
  return null;
end $$;

-- TRUNCATE has no transition table: the counts go with the codes (only benches truncate codes).
create function code_counts_after_truncate() returns trigger language plpgsql as $$
begin
  delete from code_pool_count_deltas;
  return null;
end $$;

create trigger codes_count_inserts after insert on codes referencing new table as new_rows
  for each statement execute function code_counts_after_insert();
create trigger codes_count_updates after update on codes referencing old table as old_rows new table as new_rows
  for each statement execute function code_counts_after_update();
create trigger codes_count_deletes after delete on codes referencing old table as old_rows
  for each statement execute function code_counts_after_delete();
create trigger codes_count_truncates after truncate on codes
  for each statement execute function code_counts_after_truncate();

-- The codes that exist already. Creating the triggers locked codes against writes until this migration commits,
-- so nothing is counted twice or missed.
insert into code_pool_count_deltas (pool_id, status, n)
select pool_id, status, count(*) from codes group by pool_id, status;

-- Down Migration
drop trigger codes_count_truncates on codes;
drop trigger codes_count_deletes on codes;
drop trigger codes_count_updates on codes;
drop trigger codes_count_inserts on codes;
drop function code_counts_after_truncate();
drop function code_counts_after_delete();
drop function code_counts_after_update();
drop function code_counts_after_insert();
drop table code_pool_count_deltas;
