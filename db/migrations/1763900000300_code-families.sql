-- Up Migration

-- Shapes of generated codes that carry a check character (domain/code-family.ts): an entered code of such a
-- shape whose check character fails is refused as mistyped before any lookup. A row is added when a batch with
-- a check character is created; existing batches are backfilled from their stored spec.
create table code_families (
  prefix text not null,
  suffix text not null,
  alphabet text not null,
  length int not null,
  scheme text not null check (scheme in ('luhn', 'damm')),
  created_at timestamptz not null default now(),
  primary key (prefix, suffix, alphabet, length, scheme)
);

insert into code_families (prefix, suffix, alphabet, length, scheme)
select distinct spec->>'prefix', spec->>'suffix', spec->>'alphabet', (spec->>'length')::int, spec->>'checkCharacter'
  from code_batches
 where spec->>'checkCharacter' in ('luhn', 'damm')
on conflict do nothing;

-- Down Migration
drop table code_families;
