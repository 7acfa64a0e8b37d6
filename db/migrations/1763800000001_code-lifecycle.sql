-- Up Migration

-- Extra CSV columns of an import are kept with the code; redeemed_at feeds the "redeemed between" search.
alter table codes add column attributes jsonb, add column redeemed_at timestamptz;

-- Search indexes, each ending in code so cursor pagination (code > cursor order by code) stays an index walk.
-- Partial ones cost nothing while a code is unused, which is what bulk generation and imports write.
create index codes_by_pool on codes (pool_id, code);
create index codes_by_batch on codes (batch_id, code);
create index codes_by_member on codes (member_id, code) where member_id is not null;
create index codes_by_status on codes (status, code) where status <> 'unused';

-- An uploaded CSV is staged here (COPY) and imported chunk by chunk; it never travels through workflow history.
-- Like codes, the two import tables carry no per-row foreign key to code_batches (its trigger tripled the cost of
-- staging a million rows); batches are permanent and these rows are written with the id of the batch just read.
create table code_import_rows (
  batch_id uuid not null,
  row_number integer not null,
  line integer not null,
  code text,
  expires_at text,
  attributes jsonb,
  -- set when the CSV row itself is unusable (e.g. wrong number of fields)
  problem text,
  primary key (batch_id, row_number)
);

-- The row report of an import: every refused row with its line number and reason.
create table code_import_rejections (
  batch_id uuid not null,
  line integer not null,
  code text,
  reason text not null,
  primary key (batch_id, line)
);

-- A cell a spreadsheet would run as a formula (starts with = + - @, tab or CR) is prefixed with a quote.
create function csv_safe(value text) returns text language sql immutable parallel safe as $$
  select case when value ~ '^[=+\-@\t\r]' then '''' || value else value end
$$;

-- Down Migration
drop function csv_safe(text);
drop table code_import_rejections;
drop table code_import_rows;
drop index codes_by_status, codes_by_member, codes_by_batch, codes_by_pool;
alter table codes drop column redeemed_at, drop column attributes;
