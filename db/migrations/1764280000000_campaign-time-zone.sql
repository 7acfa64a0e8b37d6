-- Up Migration

-- Where a campaign's days turn (issue 28): frequency periods and the daily/hourly stats are counted in this IANA
-- zone. Existing campaigns keep counting in UTC, as they did.
alter table campaigns add column time_zone text not null default 'UTC';

-- Down Migration
alter table campaigns drop column time_zone;
