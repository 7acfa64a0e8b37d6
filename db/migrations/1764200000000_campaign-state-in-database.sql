-- Up Migration

-- PostgreSQL decides a campaign's status (docs/operations.md, "Campaign state"): the API writes it in the
-- transaction of a create or PATCH, the lifecycle workflow's timers write it through a guarded activity. `version`
-- moves with every change of the row but its budget use; it is the ETag of GET/PATCH /v1/campaigns/:id, the
-- guard of the workflow's timer writes (a marketer's later change wins) and of apply_redemption (RG004).
alter table campaigns add column version bigint not null default 1;
-- sha256 of (API key, Idempotency-Key) of the create that made the row: a retry of that create after an answer
-- that was lost (a 503 after the commit) answers 201 with the row instead of 409 campaign_exists.
alter table campaigns add column create_token text;

-- apply_redemption as in 1763900000200, plus RG004: the campaign's status and version re-checked under lock.
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
  insert into redemption_events (event_id, member_id, campaign_id, code, api_key, outcome, reason, result, points, guess_failure, attributes)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          (p->>'points')::bigint, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'))
  on conflict (event_id) do nothing;
  if not found then
    return jsonb_build_object('stored', (select e.result from redemption_events e where e.event_id = p->>'eventId'));
  end if;

  if redeemed then
    -- The campaign as the decision read it: still active, same version (status, dates, rules). FOR KEY SHARE
    -- does not queue redemptions behind each other, but waits for a PATCH or a lifecycle write holding the row
    -- FOR UPDATE, and then sees the row it committed: so no decision read before a pause commits after it.
    perform 1 from campaigns where id = campaign and status = 'active' and version = (p->>'campaignVersion')::bigint for key share;
    if not found then raise exception 'campaign changed' using errcode = 'RG004'; end if;
    update codes set status = 'redeemed', member_id = member, status_changed_at = now(), redeemed_at = now()
     where code = p->>'code' and status = 'unused';
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
        ref := 'event:' || (p->>'eventId') || ':effect:' || n;
        insert into point_transactions (member_id, kind, points, source, reference, attributes)
        values (member, 'credit', (effect->>'points')::bigint, 'campaign:' || campaign, ref, jsonb_build_object('eventId', p->>'eventId'));
        applied := applied || jsonb_build_array(jsonb_build_object('type', 'add_points', 'points', effect->'points', 'reference', ref));
      else
        -- One code of the reward's pool, else of the bank; SKIP LOCKED lets concurrent takers pass each other.
        select c.code into taken from codes c join code_pools cp on cp.id = c.pool_id
         where cp.kind = 'reward' and cp.owner_id = effect->>'rewardId' and c.status = 'unused' order by c.code limit 1 for update of c skip locked;
        if taken is null then
          select c.code into taken from codes c where c.pool_id = (select id from code_pools where kind = 'bank') and c.status = 'unused'
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
    update redemption_events set result = answer where event_id = p->>'eventId';
    insert into outbox (id, type, payload) values (gen_random_uuid(), 'redemption.succeeded', jsonb_build_object(
      'version', 1, 'eventId', p->>'eventId', 'campaignId', campaign, 'memberId', member, 'code', p->>'code',
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
  insert into redemption_events (event_id, member_id, campaign_id, code, api_key, outcome, reason, result, points, guess_failure, attributes)
  values (p->>'eventId', member, campaign, p->>'code', p->>'apiKey', answer->>'outcome', answer->>'reason', answer,
          (p->>'points')::bigint, (p->>'guessFailure')::boolean, coalesce(p->'attributes', '{}'))
  on conflict (event_id) do nothing;
  if not found then
    return jsonb_build_object('stored', (select e.result from redemption_events e where e.event_id = p->>'eventId'));
  end if;

  if redeemed then
    update codes set status = 'redeemed', member_id = member, status_changed_at = now(), redeemed_at = now()
     where code = p->>'code' and status = 'unused';
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
        ref := 'event:' || (p->>'eventId') || ':effect:' || n;
        insert into point_transactions (member_id, kind, points, source, reference, attributes)
        values (member, 'credit', (effect->>'points')::bigint, 'campaign:' || campaign, ref, jsonb_build_object('eventId', p->>'eventId'));
        applied := applied || jsonb_build_array(jsonb_build_object('type', 'add_points', 'points', effect->'points', 'reference', ref));
      else
        -- One code of the reward's pool, else of the bank; SKIP LOCKED lets concurrent takers pass each other.
        select c.code into taken from codes c join code_pools cp on cp.id = c.pool_id
         where cp.kind = 'reward' and cp.owner_id = effect->>'rewardId' and c.status = 'unused' order by c.code limit 1 for update of c skip locked;
        if taken is null then
          select c.code into taken from codes c where c.pool_id = (select id from code_pools where kind = 'bank') and c.status = 'unused'
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
    update redemption_events set result = answer where event_id = p->>'eventId';
    insert into outbox (id, type, payload) values (gen_random_uuid(), 'redemption.succeeded', jsonb_build_object(
      'version', 1, 'eventId', p->>'eventId', 'campaignId', campaign, 'memberId', member, 'code', p->>'code',
      'effects', applied, 'occurredAt', now()));
  end if;

  if p->>'code' is not null then
    insert into code_history (code, kind, event_id, member_id, outcome, reason, actor)
    values (p->>'code', 'redemption_attempt', p->>'eventId', member, answer->>'outcome', answer->>'reason', p->>'apiKey');
  end if;
  return jsonb_build_object('result', answer);
end;
$$;
alter table campaigns drop column create_token;
alter table campaigns drop column version;
