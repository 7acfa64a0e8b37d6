-- Up Migration

-- Redemption at database speed, round two (issue 23): an event costs PostgreSQL fewer row and index writes.

-- The event log's primary key leads with the event id, so GET /v1/events/:id, the eventId filter and a rollback
-- (by event id, whatever the producer) use it, and the separate index on event_id goes. The claim's
-- `on conflict (api_key, event_id)` infers the same unique index (column order does not matter to it).
alter table redemption_events drop constraint redemption_events_pkey;
alter table redemption_events add primary key (event_id, api_key);
drop index redemption_events_by_event_id;

-- One index per campaign instead of two: the event log's campaign filter and the what-if replay read it by time,
-- and /stats (outcome, reason, points of the events not rolled back) reads it alone, an index-only scan.
drop index redemption_events_by_campaign;
drop index redemption_events_by_campaign_time;
create index redemption_events_by_campaign_time on redemption_events (campaign_id, created_at)
  include (outcome, reason, points, rolled_back_at);

-- What stays, and the query that needs each: the key (claim, event id), by_campaign_time (above), by_member
-- (the event log's member filter), by_code (the event log's code filter and a code's attempts in GET
-- /v1/codes/:code), by_time (the event log unfiltered and by date, retention), key_attempts (a key's lockout share,
-- the producer filter); partial, written only for the events they hold: frequency (redeemed, not rolled back),
-- member_failures and key_failures (guessing failures, the lockout), by_age (rejections, for retention). A
-- redemption writes 7 index entries (9 before), besides no second version of the row.

-- A code's redemption attempts are read from the event log (db/code-history.ts), so apply_redemption no longer
-- writes a code_history row per attempt. Rows written before stay (retention removes them) but are not read.

-- The next unused code of a pool (an issue_coupon effect, a distribution, takeUnusedCode): with only
-- (pool_id, code), taking one after half the pool was issued walked every issued code first.
create index codes_unused_by_pool on codes (pool_id, code) where status = 'unused';

-- apply_redemption as in 1764289924100_distributions, except that:
-- * the event row is written once, at the end, with its result (effects included), instead of inserted first and
--   updated with the effects: a concurrent decision of the same event id then either waits on the code row (and
--   finds it taken: RG001) or on the key (a rejection: the stored outcome; a redemption: RG005, and the API reads
--   the stored outcome). Either way the same event id is decided once. The reward codes an issue_coupon effect
--   takes are locked before the row is written and updated after, so nothing but the row claims the event id;
-- * no code_history row per attempt (see above);
-- * the member row is written only when the balance moves or the campaign has a frequency limit (its row lock is
--   what serialises two redemptions of one member against the limit); otherwise its version is compared without
--   writing: a profile saved after the decision read it fails the guard as before (RG002).

create or replace function apply_redemption(p jsonb) returns jsonb language plpgsql as $$
declare
  answer jsonb := p->'result';
  redeemed boolean := (p->'result'->>'outcome') = 'redeemed';
  member text := p->>'memberId';
  campaign text := p->>'campaignId';
  points bigint := (p->>'points')::bigint;
  applied jsonb := '[]';
  effect jsonb;
  n int := 0;
  taken text;
  awarded text[] := '{}';
begin
  if (p->>'guessFailure')::boolean then
    perform pg_advisory_xact_lock(hashtextextended('lockout:member:' || member, 0));
    -- A fresh snapshot (this is a new statement): it sees every failure committed by an earlier holder of the lock.
    if (select count(*) from redemption_events
         where guess_failure and member_id = member
           and created_at > now() - make_interval(secs => (p->'lockout'->>'windowSeconds')::int))
       >= (p->'lockout'->>'maxFailures')::int then
      return jsonb_build_object('locked', true);
    end if;
  end if;

  if redeemed then
    -- The campaign as the decision read it (1764200000000, RG004): still active, same version. FOR KEY SHARE does
    -- not queue redemptions behind each other, but waits for a PATCH or a lifecycle write holding the row FOR
    -- UPDATE, and then sees the row it committed: so no decision read before a pause commits after it.
    perform 1 from campaigns where id = campaign and status = 'active' and version = (p->>'campaignVersion')::bigint for key share;
    if not found then raise exception 'campaign changed' using errcode = 'RG004'; end if;
    update codes set status = 'redeemed', member_id = member, status_changed_at = now(), redeemed_at = now()
     where code = p->>'code' and (status = 'unused' or (status = 'assigned' and member_id = member))
       and (expires_at is null or expires_at > now());
    if not found then raise exception 'code taken' using errcode = 'RG001'; end if;
    if points <> 0 or coalesce((p->>'frequencyLimited')::boolean, true) then
      update members set balance = balance + points, updated_at = now()
       where id = member and xmin::text = p->>'memberVersion';
    else
      perform 1 from members where id = member and xmin::text = p->>'memberVersion';
    end if;
    if not found then raise exception 'member changed' using errcode = 'RG002'; end if;
    if (p->>'budgetCost')::bigint > 0 then
      update campaigns set budget_used = budget_used + (p->>'budgetCost')::bigint
       where id = campaign and budget_used + (p->>'budgetCost')::bigint <= budget_cap;
      if not found then raise exception 'budget short' using errcode = 'RG003'; end if;
    end if;
    for effect in select value from jsonb_array_elements(p->'effects') loop
      if effect->>'type' = 'add_points' then
        applied := applied || jsonb_build_array(jsonb_build_object('type', 'add_points', 'points', effect->'points',
          'reference', 'event:' || (p->>'apiKey') || ':' || (p->>'eventId') || ':effect:' || n));
      else
        -- One unexpired code of the reward's pool, else of the bank; SKIP LOCKED lets concurrent takers pass each
        -- other. Both read codes_unused_by_pool in code order with the pool id known (not joined: a join sorted
        -- every unused code of the pool first), so neither walks the codes issued before.
        select c.code into taken from codes c
         where c.pool_id = (select id from code_pools where kind = 'reward' and owner_id = effect->>'rewardId') and c.status = 'unused'
           and (c.expires_at is null or c.expires_at > now())
         order by c.code limit 1 for update skip locked;
        if taken is null then
          select c.code into taken from codes c where c.pool_id = (select id from code_pools where kind = 'bank') and c.status = 'unused'
             and (c.expires_at is null or c.expires_at > now())
           order by c.code limit 1 for update skip locked;
        end if;
        if taken is not null then
          awarded := awarded || taken;
          applied := applied || jsonb_build_array(jsonb_build_object('type', 'issue_coupon', 'rewardId', effect->'rewardId', 'code', taken));
        else
          applied := applied || jsonb_build_array(jsonb_build_object('type', 'issue_coupon', 'rewardId', effect->'rewardId', 'code', null, 'skipped', 'no_codes_left'));
        end if;
        taken := null;
      end if;
      n := n + 1;
    end loop;
    answer := answer || jsonb_build_object('effects', applied);
  end if;

  -- The event id is claimed here, with the outcome as answered.
  insert into redemption_events (event_id, member_id, campaign_id, code, api_key, outcome, reason, result, points, guess_failure,
                                 attributes, request_hash)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          points, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'), p->>'requestHash')
  on conflict (api_key, event_id) do nothing;
  if not found then
    -- Decided meanwhile by a concurrent request: a redemption has written what must not stay, so it rolls back.
    if redeemed then raise exception 'event decided' using errcode = 'RG005'; end if;
    return (select jsonb_build_object('stored', e.result, 'storedHash', e.request_hash) from redemption_events e
             where e.api_key = p->>'apiKey' and e.event_id = p->>'eventId');
  end if;

  if redeemed then
    insert into point_transactions (member_id, kind, points, source, reference, attributes)
    select member, 'credit', (e->>'points')::bigint, 'campaign:' || campaign, e->>'reference',
           jsonb_build_object('eventId', p->>'eventId', 'producer', p->>'apiKey')
      from jsonb_array_elements(applied) e where e->>'type' = 'add_points';
    if cardinality(awarded) > 0 then
      update codes set status = 'awarded', member_id = member, status_changed_at = now(), redeemed_at = now() where code = any(awarded);
    end if;
    insert into outbox (id, type, payload) values (gen_random_uuid(), 'redemption.succeeded', jsonb_build_object(
      'version', 1, 'eventId', p->>'eventId', 'producer', p->>'apiKey', 'campaignId', campaign, 'memberId', member, 'code', p->>'code',
      'effects', applied, 'occurredAt', now()));
  end if;
  return jsonb_build_object('result', answer);
end;
$$;

-- Down Migration
drop index codes_unused_by_pool;
drop index redemption_events_by_campaign_time;
create index redemption_events_by_campaign_time on redemption_events (campaign_id, created_at);
create index redemption_events_by_campaign on redemption_events (campaign_id, outcome, reason);
create index redemption_events_by_event_id on redemption_events (event_id);
alter table redemption_events drop constraint redemption_events_pkey;
alter table redemption_events add primary key (api_key, event_id);
-- apply_redemption as 1764289924100_distributions defines it.
create or replace function apply_redemption(p jsonb) returns jsonb language plpgsql as $$
declare
  answer jsonb := p->'result';
  redeemed boolean := (p->'result'->>'outcome') = 'redeemed';
  member text := p->>'memberId';
  campaign text := p->>'campaignId';
  applied jsonb := '[]';
  effect jsonb;
  n int := 0;
  ref text;
  taken text;
begin
  if (p->>'guessFailure')::boolean then
    perform pg_advisory_xact_lock(hashtextextended('lockout:member:' || member, 0));
    -- A fresh snapshot (this is a new statement): it sees every failure committed by an earlier holder of the lock.
    if (select count(*) from redemption_events
         where guess_failure and member_id = member
           and created_at > now() - make_interval(secs => (p->'lockout'->>'windowSeconds')::int))
       >= (p->'lockout'->>'maxFailures')::int then
      return jsonb_build_object('locked', true);
    end if;
  end if;

  insert into redemption_events (event_id, member_id, campaign_id, code, api_key, outcome, reason, result, points, guess_failure,
                                 attributes, request_hash)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          (p->>'points')::bigint, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'), p->>'requestHash')
  on conflict (api_key, event_id) do nothing;
  if not found then
    return (select jsonb_build_object('stored', e.result, 'storedHash', e.request_hash) from redemption_events e
             where e.api_key = p->>'apiKey' and e.event_id = p->>'eventId');
  end if;

  if redeemed then
    -- The campaign as the decision read it (1764200000000, RG004): still active, same version. FOR KEY SHARE does
    -- not queue redemptions behind each other, but waits for a PATCH or a lifecycle write holding the row FOR
    -- UPDATE, and then sees the row it committed: so no decision read before a pause commits after it.
    perform 1 from campaigns where id = campaign and status = 'active' and version = (p->>'campaignVersion')::bigint for key share;
    if not found then raise exception 'campaign changed' using errcode = 'RG004'; end if;
    update codes set status = 'redeemed', member_id = member, status_changed_at = now(), redeemed_at = now()
     where code = p->>'code' and (status = 'unused' or (status = 'assigned' and member_id = member))
       and (expires_at is null or expires_at > now());
    if not found then raise exception 'code taken' using errcode = 'RG001'; end if;
    update members set balance = balance + (p->>'points')::bigint, updated_at = now()
     where id = member and xmin::text = p->>'memberVersion';
    if not found then raise exception 'member changed' using errcode = 'RG002'; end if;
    if (p->>'budgetCost')::bigint > 0 then
      update campaigns set budget_used = budget_used + (p->>'budgetCost')::bigint
       where id = campaign and budget_used + (p->>'budgetCost')::bigint <= budget_cap;
      if not found then raise exception 'budget short' using errcode = 'RG003'; end if;
    end if;
    for effect in select value from jsonb_array_elements(p->'effects') loop
      if effect->>'type' = 'add_points' then
        ref := 'event:' || (p->>'apiKey') || ':' || (p->>'eventId') || ':effect:' || n;
        insert into point_transactions (member_id, kind, points, source, reference, attributes)
        values (member, 'credit', (effect->>'points')::bigint, 'campaign:' || campaign, ref,
                jsonb_build_object('eventId', p->>'eventId', 'producer', p->>'apiKey'));
        applied := applied || jsonb_build_array(jsonb_build_object('type', 'add_points', 'points', effect->'points', 'reference', ref));
      else
        -- One unexpired code of the reward's pool, else of the bank; SKIP LOCKED lets concurrent takers pass each other.
        select c.code into taken from codes c join code_pools cp on cp.id = c.pool_id
         where cp.kind = 'reward' and cp.owner_id = effect->>'rewardId' and c.status = 'unused'
           and (c.expires_at is null or c.expires_at > now())
         order by c.code limit 1 for update of c skip locked;
        if taken is null then
          select c.code into taken from codes c where c.pool_id = (select id from code_pools where kind = 'bank') and c.status = 'unused'
             and (c.expires_at is null or c.expires_at > now())
           order by c.code limit 1 for update skip locked;
        end if;
        if taken is not null then
          update codes set status = 'awarded', member_id = member, status_changed_at = now(), redeemed_at = now() where code = taken;
          applied := applied || jsonb_build_array(jsonb_build_object('type', 'issue_coupon', 'rewardId', effect->'rewardId', 'code', taken));
        else
          applied := applied || jsonb_build_array(jsonb_build_object('type', 'issue_coupon', 'rewardId', effect->'rewardId', 'code', null, 'skipped', 'no_codes_left'));
        end if;
        taken := null;
      end if;
      n := n + 1;
    end loop;
    answer := answer || jsonb_build_object('effects', applied);
    update redemption_events set result = answer where api_key = p->>'apiKey' and event_id = p->>'eventId';
    insert into outbox (id, type, payload) values (gen_random_uuid(), 'redemption.succeeded', jsonb_build_object(
      'version', 1, 'eventId', p->>'eventId', 'producer', p->>'apiKey', 'campaignId', campaign, 'memberId', member, 'code', p->>'code',
      'effects', applied, 'occurredAt', now()));
  end if;

  if p->>'code' is not null then
    insert into code_history (code, kind, event_id, member_id, outcome, reason, actor)
    values (p->>'code', 'redemption_attempt', p->>'eventId', member, answer->>'outcome', answer->>'reason', p->>'apiKey');
  end if;
  return jsonb_build_object('result', answer);
end;
$$;
