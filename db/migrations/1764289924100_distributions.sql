-- Up Migration

-- Distributions (§11): each member of an audience gets one code of a pool. The audience is staged here (from an
-- uploaded CSV or a filter over members) and assigned chunk by chunk by a workflow, like an import.
create table distributions (
  id uuid primary key,
  pool_id uuid not null references code_pools (id),
  -- how the audience was chosen: {"type": "list"} or {"type": "filter", "tier": ..., "segments": [...], "tags": [...]}
  audience jsonb not null,
  members integer not null check (members >= 0),
  -- unknown or repeated member ids of an uploaded list, left out of the audience
  skipped integer not null default 0,
  expires_at timestamptz,
  -- the generation that tops the pool up first, when asked (null: none)
  top_up_batch_id uuid references code_batches (id),
  status text not null default 'pending' check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
  workflow_id text not null,
  created_by text,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  cancelled_at timestamptz,
  returned integer
);
create trigger distributions_are_permanent before delete or truncate on distributions
  for each statement execute function refuse_delete();

-- The audience, numbered 0..members-1 so a chunk is a range; never in workflow history. No foreign key per row
-- (like code_import_rows): the rows are written with the id of the distribution inserted in the same transaction.
create table distribution_members (
  distribution_id uuid not null,
  row_number integer not null,
  member_id text not null,
  primary key (distribution_id, row_number)
);

-- One row per committed chunk, written in the chunk's own transaction (see code_batch_chunks).
create table distribution_chunks (
  distribution_id uuid not null references distributions (id),
  chunk_index integer not null,
  assigned integer not null default 0,
  committed_at timestamptz not null default now(),
  primary key (distribution_id, chunk_index)
);

-- What a distribution gave to whom. The keys are the guarantee, not the workflow: one code per member per
-- distribution, and no code twice in one distribution, whatever retries or crashes happen.
create table distribution_assignments (
  distribution_id uuid not null,
  member_id text not null,
  code text collate "C" not null,
  -- the code's own expiry before the distribution set its own: a cancel puts it back
  code_expires_at timestamptz,
  primary key (distribution_id, member_id),
  unique (distribution_id, code)
);
-- GET /v1/members/:id/codes reads codes by member (codes_by_member); the export reads by distribution (the key).

-- apply_redemption as in 1764200000100_shop-traffic (RG004, lockout, producers, expiry included), except that a code
-- assigned to the event's member (a distribution's) may be redeemed by that member like an unused one; the
-- decision refuses anyone else (code_assigned_to_other) before this runs, and the guard holds it under concurrency.
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

-- Down Migration
drop table distribution_assignments;
drop table distribution_chunks;
drop table distribution_members;
drop trigger distributions_are_permanent on distributions;
drop table distributions;
-- apply_redemption as 1764200000000_campaign-state-in-database defines it.
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
     where code = p->>'code' and status = 'unused' and (expires_at is null or expires_at > now());
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
