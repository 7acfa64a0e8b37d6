import type { Queryable } from './database';
import type { RejectionReason } from '../model/redemption-rejection';

export type { RejectionReason };

/** What the caller of POST /v1/events gets back, stored once per event id. */
export interface RedemptionOutcome {
  eventId: string;
  outcome: 'redeemed' | 'rejected';
  reason?: RejectionReason;
  campaignId?: string;
  code?: string;
  memberId: string;
  effects?: Array<Record<string, unknown>>;
  failedConditions?: Array<Record<string, unknown>>;
}

export interface RecordedRedemption {
  outcome: RedemptionOutcome;
  campaignId: string | null;
  code: string | null;
  apiKey: string;
  points: number;
  guessFailure: boolean;
}

/**
 * Claims an event id inside the caller's transaction. A concurrent attempt for the same id waits on the row
 * until the first commits, then reads its stored outcome: an event is decided exactly once.
 */
export async function claimEvent(db: Queryable, eventId: string, memberId: string): Promise<RedemptionOutcome | null> {
  const { rowCount } = await db.query(
    `insert into redemption_events (event_id, member_id, outcome, result) values ($1, $2, 'rejected', '{}') on conflict do nothing`,
    [eventId, memberId],
  );
  if (rowCount === 1) return null;
  const { rows } = await db.query(`select result from redemption_events where event_id = $1`, [eventId]);
  return rows[0].result as RedemptionOutcome;
}

/** Stores the outcome and returns it as stored, so the first caller and every repeat get byte-identical answers. */
export async function recordOutcome(db: Queryable, r: RecordedRedemption): Promise<RedemptionOutcome> {
  const { rows } = await db.query(
    `update redemption_events set campaign_id = $2, code = $3, api_key = $4, outcome = $5, reason = $6, result = $7,
       points = $8, guess_failure = $9 where event_id = $1 returning result`,
    [r.outcome.eventId, r.campaignId, r.code, r.apiKey, r.outcome.outcome, r.outcome.reason ?? null, r.outcome, r.points, r.guessFailure],
  );
  return rows[0].result as RedemptionOutcome;
}

/** Guessing failures of a member or of an API key in the last `windowSeconds`. */
export async function recentGuessFailures(db: Queryable, memberId: string, apiKey: string, windowSeconds: number): Promise<{ member: number; key: number }> {
  const { rows } = await db.query(
    `select (select count(*) from redemption_events where guess_failure and member_id = $1 and created_at > now() - make_interval(secs => $3))::int as member,
            (select count(*) from redemption_events where guess_failure and api_key = $2 and created_at > now() - make_interval(secs => $3))::int as key`,
    [memberId, apiKey, windowSeconds],
  );
  return rows[0] as { member: number; key: number };
}

const PERIOD_START: Record<string, string> = {
  day: `date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`,
  week: `date_trunc('week', now() at time zone 'UTC') at time zone 'UTC'`,
  month: `date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`,
  year: `date_trunc('year', now() at time zone 'UTC') at time zone 'UTC'`,
  lifetime: `'-infinity'::timestamptz`,
};

/** A member's redemptions of a campaign in the current calendar period (UTC); rolled-back ones don't count. */
export async function redemptionsInPeriod(db: Queryable, campaignId: string, memberId: string, period: string): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from redemption_events
      where campaign_id = $1 and member_id = $2 and outcome = 'redeemed' and rolled_back_at is null and created_at >= ${PERIOD_START[period]}`,
    [campaignId, memberId],
  );
  return rows[0].n as number;
}
