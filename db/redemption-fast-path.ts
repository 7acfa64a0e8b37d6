import type { Pool, QueryConfig } from 'pg';
import type { DecisionRule, LockoutPolicy, Visibility } from '../domain/redemption-decision';
import type { MemberProfile } from '../model/member';
import type { Frequency } from '../model/frequency';
import { inFrequencyWindow, type RedemptionOutcome } from './redemption-events';

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
  frequency: Frequency | null;
  /** IANA zone the frequency periods turn in. */
  timeZone: string;
  rules: DecisionRule[];
  budgetKind: 'points' | 'redemptions' | null;
  budgetCap: number | null;
  budgetUsed: number;
  /** The row's version (every edit, every status change): the rule engine is built once per version, the write guards it. */
  version: string;
  /** The saved rule set `rules` is (campaign_rule_versions): the event log records it with the decision. */
  rulesVersion: number;
}

export interface SnapshotMember extends MemberProfile {
  /** The row version (xmin) the write's guard compares. */
  version: string;
}

export interface RedemptionSnapshot {
  /** The producer's earlier outcome for this event id, and the hash of the request it decided (null before 19). */
  stored: RedemptionOutcome | null;
  storedHash: string | null;
  /** The event schema's version, so a cached copy of it can be checked without another round trip. */
  schemaVersion: string | null;
  /** memberId: the member a distribution assigned the code to (status `assigned`). */
  code: { code: string; status: string; campaignId: string | null; expiresAt: Date | null; memberId: string | null } | null;
  campaign: SnapshotCampaign | null;
  member: SnapshotMember | null;
  memberFailures: number;
  keyFailures: number;
  /** The key's decided events in the window, counted only as far as the lockout needs (keyAttemptsNeeded). */
  keyAttempts: number;
  redemptionsInPeriod: number;
  /** The code as entered in the trigger attribute (normalized), found or not; null when the event carries none. */
  typedCode: string | null;
}

// The frequency window is where domain/frequency-window.ts puts it (a test holds the two to agree): the calendar
// period in the campaign's zone (date_trunc with a zone counts a 23- or 25-hour day as one day), or a rolling
// window. Its clock is the database's, which also stamps created_at, so what is counted and what is recorded never
// disagree across clock skew; a test may set the decision's clock instead ($9).
const SNAPSHOT = `
with clock as (select coalesce($9::timestamptz, now()) as now),
attr as (select distinct trigger_attribute as a from campaigns where trigger_event = $2),
typed as (select $3::jsonb ->> a as code from attr where $3::jsonb ? a order by a limit 1),
found_code as (
  select c.code, c.status, case when p.kind = 'campaign' then p.owner_id end as "campaignId", c.expires_at as "expiresAt", c.member_id as "memberId"
    from codes c join code_pools p on p.id = c.pool_id where c.code = (select code from typed)),
found_campaign as (
  select id, name, status, trigger_event as "triggerEvent", starts_at as "startsAt", ends_at as "endsAt", visibility, frequency, rules,
         budget_kind as "budgetKind", budget_cap::float8 as "budgetCap", budget_used::float8 as "budgetUsed", version::text as version,
         time_zone as "timeZone", rules_version as "rulesVersion"
    from campaigns where id = (select "campaignId" from found_code)),
key_failures as (
  select count(*)::int as n from redemption_events where guess_failure and api_key = $5 and created_at > now() - make_interval(secs => $6)),
-- The key's attempts only as far as the share needs (domain/redemption-decision.ts keyAttemptsNeeded): a busy key's
-- window holds many events, and past this many its failures are below the share whatever the rest.
key_attempts as (
  select count(*)::int as n from (
    select 1 from redemption_events where api_key = $5 and created_at > now() - make_interval(secs => $6)
     limit (select case when n < $7 then 0 else floor(n * 100 / $8)::int + 1 end from key_failures)) counted),
found_member as (
  select id, tier, segments, tags, to_char(enrolled_at, 'YYYY-MM-DD') as "enrolledAt", attributes, balance::float8 as balance, xmin::text as version
    from members where id = $4),
stored as (select result, request_hash from redemption_events where api_key = $5 and event_id = $1)
select (select result from stored) as stored,
       (select request_hash from stored) as "storedHash",
       (select updated_at::text || active::text from event_schemas where name = $2) as "schemaVersion",
       (select code from typed) as "typedCode",
       (select row_to_json(found_code) from found_code) as code,
       (select row_to_json(found_campaign) from found_campaign) as campaign,
       (select row_to_json(found_member) from found_member) as member,
       (select count(*) from redemption_events where guess_failure and member_id = $4 and created_at > now() - make_interval(secs => $6))::int as "memberFailures",
       (select n from key_failures) as "keyFailures",
       (select n from key_attempts) as "keyAttempts",
       (select count(*) from redemption_events e, found_campaign camp, clock
         where camp.frequency is not null and e.campaign_id = camp.id and e.member_id = $4 and e.outcome = 'redeemed' and e.rolled_back_at is null
           and ${inFrequencyWindow('camp.frequency', 'camp."timeZone"', 'clock.now')})::int as "redemptionsInPeriod"`;

const toDate = (v: string | null) => (v === null ? null : new Date(v));

export interface SnapshotRequest {
  eventId: string;
  eventName: string;
  /** Every text attribute of the event, as a code (normalized); the campaigns' trigger attribute picks one. */
  candidateCodes: Record<string, string>;
  memberId: string;
  apiKey: string;
  lockout: LockoutPolicy;
  /** Tests only: the instant the frequency window is computed for (else the database's now()). */
  decidedAt?: Date;
}

export async function readRedemptionSnapshot(pool: Pool, r: SnapshotRequest): Promise<RedemptionSnapshot> {
  const query: QueryConfig = {
    name: 'redemption-snapshot',
    text: SNAPSHOT,
    values: [
      r.eventId,
      r.eventName,
      JSON.stringify(r.candidateCodes),
      r.memberId,
      r.apiKey,
      r.lockout.windowSeconds,
      r.lockout.keyMinFailures,
      r.lockout.keyFailurePercent,
      r.decidedAt ?? null,
    ],
  };
  const row = (await pool.query(query)).rows[0];
  const campaign = row.campaign && { ...row.campaign, startsAt: toDate(row.campaign.startsAt), endsAt: toDate(row.campaign.endsAt) };
  const code = row.code && { ...row.code, expiresAt: toDate(row.code.expiresAt) };
  return { ...row, campaign, code } as RedemptionSnapshot;
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
  /** The campaign limits redemptions per member: the write then locks the member row even when no points move. */
  frequencyLimited: boolean;
  /** The campaign's version the decision read: a redemption commits only while the campaign is active at it (RG004). */
  campaignVersion: string | null;
  /** The campaign's saved rule set the decision ran (null: no campaign's rules decided), kept on the event row. */
  rulesVersion: number | null;
  effects: Array<Record<string, unknown>>;
  /** The event's attributes as accepted (kept for the what-if replay). */
  attributes: Record<string, unknown>;
  /** Identifies the request behind the event id (name, member, attributes): a reuse with another body is a 409. */
  requestHash: string;
  /** A guessing failure re-counts the member's failures under a per-member lock against this (exact lockout). */
  lockout: { maxFailures: number; windowSeconds: number };
}

/**
 * A guard of the write failed: what was read changed meanwhile; read and decide again. RG001 code taken, RG002
 * member changed, RG003 budget short, RG004 campaign changed (paused, ended, rules or dates edited), RG005 the
 * event id decided by a concurrent request (the read then finds its stored outcome).
 */
export const GUARD_FAILURES = new Set(['RG001', 'RG002', 'RG003', 'RG004', 'RG005']);

export type AppliedRedemption =
  | { outcome: RedemptionOutcome; replayed: false; locked?: never }
  /** The event id was decided before; `storedHash` says for which request (null: recorded before hashes). */
  | { outcome: RedemptionOutcome; replayed: true; storedHash: string | null; locked?: never }
  /** The member reached the lockout while this failure waited: nothing was stored. */
  | { locked: true };

/** Applies a decision in one statement; returns the stored outcome (an earlier one if the event was decided). */
export async function applyRedemption(pool: Pool, w: RedemptionWrite, traceparent: string | null = null): Promise<AppliedRedemption> {
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
  const r = rows[0].r as { stored?: RedemptionOutcome; storedHash?: string | null; result?: RedemptionOutcome; locked?: true };
  if (r.locked) return { locked: true };
  return r.stored ? { outcome: r.stored, replayed: true, storedHash: r.storedHash ?? null } : { outcome: r.result!, replayed: false };
}
