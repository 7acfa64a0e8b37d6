-- Up Migration

-- Campaign statuses are decided by each campaign's lifecycle workflow: draft → scheduled → active → ended, and
-- paused on demand. The old `inactive` (a campaign switched off by hand) is `paused` now.
alter table campaigns drop constraint campaigns_status_check;
update campaigns set status = 'paused' where status = 'inactive';
alter table campaigns add constraint campaigns_status_check check (status in ('draft', 'scheduled', 'active', 'paused', 'ended'));

alter table campaigns
  -- {budgetThresholds: [percent...], codesBelow?: n}: when to send budget.threshold_reached / codes.running_low.
  add column alerts jsonb not null default '{"budgetThresholds": [80, 100]}',
  -- {below, quantity, max}: generate `quantity` more codes when unused codes fall below `below`, `max` in all.
  add column top_up jsonb,
  -- Stats at the moment the campaign ended (also sent as the campaign.ended payload).
  add column final_stats jsonb,
  add column ended_at timestamptz;

-- Alerts already sent, so each is sent once (a codes-low alert is re-armed once stock is back above the threshold).
create table campaign_alerts (
  campaign_id text not null references campaigns (id) on delete cascade,
  alert text not null,
  sent_at timestamptz not null default now(),
  primary key (campaign_id, alert)
);

-- Down Migration
drop table campaign_alerts;
alter table campaigns drop column alerts, drop column top_up, drop column final_stats, drop column ended_at;
alter table campaigns drop constraint campaigns_status_check;
update campaigns set status = case status when 'paused' then 'inactive' when 'scheduled' then 'active' when 'ended' then 'inactive' else status end;
alter table campaigns add constraint campaigns_status_check check (status in ('draft', 'active', 'inactive'));
