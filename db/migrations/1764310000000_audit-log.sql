-- Up Migration

-- The history (issue 24): who changed what, written in the same transaction as the change (services/audit.ts).
-- Append-only: the triggers below refuse every UPDATE and TRUNCATE, and every DELETE but the retention pass's
-- (db/audit-log.ts sets `loyalty.audit_retention` for its own transaction only). A production API role may also be
-- denied UPDATE and DELETE on it outright (README "Security").
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  -- the API key's principal (`role:<12 hex>`), as the request log shows it
  actor text not null,
  entity_type text not null,
  entity_id text not null,
  action text not null,
  -- the path-based diff of before and after (domain/json-diff.ts): [{"path": "rules.0.name", "before": .., "after": ..}]
  diff jsonb not null default '[]',
  -- what the change carried beyond the diff (a bulk action's request, a restored version's number), or null
  detail jsonb
);
create index audit_log_by_entity on audit_log (entity_type, entity_id, id);
create index audit_log_by_actor on audit_log (actor, id);
create index audit_log_by_time on audit_log (at);

create function refuse_audit_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('loyalty.audit_retention', true) = 'on' then
    return old;
  end if;
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'RG100';
end $$;
create trigger audit_log_is_append_only before update or delete on audit_log
  for each row execute function refuse_audit_change();
create trigger audit_log_is_never_truncated before truncate on audit_log
  for each statement execute function refuse_audit_change();

-- Campaign rule versions: every saved rule set of a campaign, numbered from 1. campaigns.rules_version is the one
-- in force; a restore saves an old one's rules as a new version.
alter table campaigns add column rules_version integer not null default 1;
create table campaign_rule_versions (
  campaign_id text not null references campaigns (id),
  version integer not null check (version >= 1),
  rules jsonb not null,
  -- the version this one restored (null: an edit)
  restored_from integer,
  created_by text,
  created_at timestamptz not null default now(),
  primary key (campaign_id, version)
);
-- Every existing campaign's rules are its version 1.
insert into campaign_rule_versions (campaign_id, version, rules, created_by)
  select id, 1, rules, 'migration' from campaigns;

-- Down Migration
drop table campaign_rule_versions;
alter table campaigns drop column rules_version;
drop table audit_log;
drop function refuse_audit_change();
