import type { Pool, QueryConfig } from 'pg';
import type { DecisionRule, Visibility } from '../domain/redemption-decision';
import type { MemberProfile } from '../model/member';
import type { RedemptionOutcome } from './redemption-events';

/**
 * The two statements of POST /v1/events (see the apply_redemption migration): one read of everything the
 * decision needs, one write that applies it. Both are named (prepared once per connection, then only bound).
 */

export interface SnapshotCampaign {
  id: string;
  name: string;
  status: string;
  triggerEvent: string;
  startsAt: Date | null;
  endsAt: Date | null;
  visibility: Visibility;
  frequency: { count: number; period: string } | null;
  rules: DecisionRule[];
  budgetKind: 'points' | 'redemptions' | null;
  budgetCap: number | null;
  budgetUsed: number;
  /** The row's version (every edit, every status change): the rule engine is built once per version, the write guards it. */
  version: string;
}

export interface SnapshotMember extends MemberProfile {
  /** The row version (xmin) the write's guard compares. */
  version: string;
}

export interface RedemptionSnapshot {
  stored: RedemptionOutcome | null;
  /** The event schema's version, so a cached copy of it can be checked without another round trip. */
  schemaVersion: string | null;
  code: { code: string; status: string; campaignId: string | null } | null;
  campaign: SnapshotCampaign | null;
  member: SnapshotMember | null;
  memberFailures: number;
  keyFailures: number;
  redemptionsInPeriod: number;
  /** The code as entered in the trigger attribute (normalized), found or not; null when the event carries none. */
  typedCode: string | null;
}

const SNAPSHOT = `
with attr as (select distinct trigger_attribute as a from campaigns where trigger_event = $2),
typed as (select $3::jsonb ->> a as code from attr where $3::jsonb ? a order by a limit 1),
found_code as (
  select c.code, c.status, case when p.kind = 'campaign' then p.owner_id end as "campaignId"
    from codes c join code_pools p on p.id = c.pool_id where c.code = (select code from typed)),
found_campaign as (
  select id, name, status, trigger_event as "triggerEvent", starts_at as "startsAt", ends_at as "endsAt", visibility, frequency, rules,
         budget_kind as "budgetKind", budget_cap::float8 as "budgetCap", budget_used::float8 as "budgetUsed", version::text as version
    from campaigns where id = (select "campaignId" from found_code)),
found_member as (
  select id, tier, segments, tags, to_char(enrolled_at, 'YYYY-MM-DD') as "enrolledAt", attributes, balance::float8 as balance, xmin::text as version
    from members where id = $4)
select (select result from redemption_events where event_id = $1) as stored,
       (select updated_at::text || active::text from event_schemas where name = $2) as "schemaVersion",
       (select code from typed) as "typedCode",
       (select row_to_json(found_code) from found_code) as code,
       (select row_to_json(found_campaign) from found_campaign) as campaign,
       (select row_to_json(found_member) from found_member) as member,
       (select count(*) from redemption_events where guess_failure and member_id = $4 and created_at > now() - make_interval(secs => $6))::int as "memberFailures",
       (select count(*) from redemption_events where guess_failure and api_key = $5 and created_at > now() - make_interval(secs => $6))::int as "keyFailures",
       (select count(*) from redemption_events e, found_campaign camp
         where camp.frequency is not null and e.campaign_id = camp.id and e.member_id = $4 and e.outcome = 'redeemed' and e.rolled_back_at is null
           and e.created_at >= case camp.frequency->>'period'
             when 'lifetime' then '-infinity'::timestamptz
             else date_trunc(camp.frequency->>'period', now() at time zone 'UTC') at time zone 'UTC' end)::int as "redemptionsInPeriod"`;

const toDate = (v: string | null) => (v === null ? null : new Date(v));

export interface SnapshotRequest {
  eventId: string;
  eventName: string;
  /** Every text attribute of the event, as a code (normalized); the campaigns' trigger attribute picks one. */
  candidateCodes: Record<string, string>;
  memberId: string;
  apiKey: string;
  lockoutWindowSeconds: number;
}

export async function readRedemptionSnapshot(pool: Pool, r: SnapshotRequest): Promise<RedemptionSnapshot> {
  const query: QueryConfig = {
    name: 'redemption-snapshot',
    text: SNAPSHOT,
    values: [r.eventId, r.eventName, JSON.stringify(r.candidateCodes), r.memberId, r.apiKey, r.lockoutWindowSeconds],
  };
  const row = (await pool.query(query)).rows[0];
  const campaign = row.campaign && { ...row.campaign, startsAt: toDate(row.campaign.startsAt), endsAt: toDate(row.campaign.endsAt) };
  return { ...row, campaign } as RedemptionSnapshot;
}

/** What the write applies: the outcome (effects filled in by the write), the guards' expectations, the costs. */
export interface RedemptionWrite {
  eventId: string;
  memberId: string;
  campaignId: string | null;
  /** The code the attempt is recorded against (history and event row); null when none was found or looked at. */
  code: string | null;
  apiKey: string;
  result: RedemptionOutcome;
  points: number;
  budgetCost: number;
  guessFailure: boolean;
  memberVersion: string | null;
  /** The campaign's version the decision read: a redemption commits only while the campaign is active at it (RG004). */
  campaignVersion: string | null;
  effects: Array<Record<string, unknown>>;
  /** The event's attributes as accepted (kept for the what-if replay). */
  attributes: Record<string, unknown>;
}

/**
 * A guard of the write failed: what was read changed meanwhile; read and decide again. RG001 code taken, RG002
 * member changed, RG003 budget short, RG004 campaign changed (paused, ended, rules or dates edited).
 */
export const GUARD_FAILURES = new Set(['RG001', 'RG002', 'RG003', 'RG004']);

/** Applies a decision in one statement; returns the stored outcome (an earlier one if the event was decided). */
export async function applyRedemption(
  pool: Pool,
  w: RedemptionWrite,
  traceparent: string | null = null,
): Promise<{ outcome: RedemptionOutcome; replayed: boolean }> {
  // With tracing on, the caller's trace context goes into the transaction's setting `loyalty.trace_context`,
  // which the outbox row takes as its default (migration 1764220000000): the relay and the delivery continue the
  // trace. The CTE is materialised, so the setting is in place before apply_redemption runs.
  const { rows } = await pool.query(
    traceparent === null
      ? { name: 'apply-redemption', text: 'select apply_redemption($1::jsonb) as r', values: [JSON.stringify(w)] }
      : {
          name: 'apply-redemption-traced',
          text: `with t as materialized (select set_config('loyalty.trace_context', $2, true)) select apply_redemption($1::jsonb) as r from t`,
          values: [JSON.stringify(w), traceparent],
        },
  );
  const r = rows[0].r as { stored?: RedemptionOutcome; result?: RedemptionOutcome };
  return r.stored ? { outcome: r.stored, replayed: true } : { outcome: r.result!, replayed: false };
}
