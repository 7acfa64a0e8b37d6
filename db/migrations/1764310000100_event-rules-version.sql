-- Up Migration

-- Which saved rule set (campaign_rule_versions, 1764310000000) decided each event: the decision's input carries
-- `rulesVersion` (the campaign row's rules_version as the decision read it; null when no campaign's rules ran).
-- The only change to apply_redemption below is the event row's insert taking `rules_version` from
-- p->>'rulesVersion'; the rest is 1764300000000_redemption-writes-once's function unchanged.
alter table redemption_events add column rules_version integer;

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
                                 attributes, request_hash, rules_version)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          points, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'), p->>'requestHash',
          (p->>'rulesVersion')::int)
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
-- apply_redemption as 1764300000000_redemption-writes-once defines it.
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
alter table redemption_events drop column rules_version;
