-- Up Migration

-- Which saved rule set (campaign_rule_versions, 1764310000000) decided each event: the decision's input carries
-- `rulesVersion` (the campaign row's rules_version as the decision read it; null when no campaign's rules ran).
-- THE ONLY CHANGE to apply_redemption below is the insert into redemption_events taking `rules_version` from
-- p->>'rulesVersion'; the rest is 1764289924100_distributions' function unchanged. Re-apply just that on top of a
-- newer apply_redemption.
alter table redemption_events add column rules_version integer;

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
                                 attributes, request_hash, rules_version)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          (p->>'points')::bigint, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'), p->>'requestHash',
          (p->>'rulesVersion')::int)
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

-- Down Migration
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
alter table redemption_events drop column rules_version;
