-- Up Migration
-- The console's redemptions-over-time chart reads one campaign's events in a time range.
create index redemption_events_by_campaign_time on redemption_events (campaign_id, created_at);

-- Down Migration
drop index redemption_events_by_campaign_time;
