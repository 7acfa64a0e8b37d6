import type { Queryable } from './database';
import { fullPrecisionTime, type WithPageKey } from './keyset';
import type { RejectionReason } from '../model/redemption-rejection';
import type { Frequency } from '../model/frequency';

export type { RejectionReason };

/** What the caller of POST /v1/events gets back, stored once per event id. */
export interface RedemptionOutcome {
  eventId: string;
  outcome: 'redeemed' | 'rejected';
  reason?: RejectionReason;
  /** For the member, when the reason needs words (mistyped_code: re-check the code). */
  message?: string;
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
export async function recentGuessFailures(
  db: Queryable,
  memberId: string,
  apiKey: string,
  windowSeconds: number,
): Promise<{ member: number; key: number }> {
  const { rows } = await db.query(
    `select (select count(*) from redemption_events where guess_failure and member_id = $1 and created_at > now() - make_interval(secs => $3))::int as member,
            (select count(*) from redemption_events where guess_failure and api_key = $2 and created_at > now() - make_interval(secs => $3))::int as key`,
    [memberId, apiKey, windowSeconds],
  );
  return rows[0] as { member: number; key: number };
}

/**
 * SQL: whether event `e`'s created_at falls in the frequency window (domain/frequency-window.ts says where it
 * starts) that ends at `now`, for a frequency and a zone given as SQL expressions. Shared by the redemption snapshot
 * and the simulator so the two count alike.
 */
export function inFrequencyWindow(frequency: string, zone: string, now: string): string {
  return `case when ${frequency} ? 'window' then e.created_at > ${now} - (${frequency}->>'window')::interval
               when ${frequency}->>'period' = 'lifetime' then true
               else e.created_at >= date_trunc(${frequency}->>'period', ${now}, ${zone}) end`;
}

/** A member's redemptions of a campaign in the current frequency window; rolled-back ones don't count. */
export async function redemptionsInPeriod(
  db: Queryable,
  campaignId: string,
  memberId: string,
  frequency: Frequency,
  timeZone: string,
): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from redemption_events e
      where campaign_id = $1 and member_id = $2 and outcome = 'redeemed' and rolled_back_at is null
        and ${inFrequencyWindow('$3::jsonb', '$4::text', 'now()')}`,
    [campaignId, memberId, JSON.stringify(frequency), timeZone],
  );
  return rows[0].n as number;
}

export interface RollbackTarget {
  result: RedemptionOutcome;
  points: number;
  rolledBackAt: Date | null;
  campaignId: string;
  budgetKind: 'points' | 'redemptions' | null;
  /** The API key's principal that posted the event. */
  producer: string;
}

/**
 * The recorded events with this id (one per producer that used it; `producer` picks one), each with its campaign's
 * budget kind, row-locked so two rollbacks of one event run one at a time.
 */
export async function lockEventsForRollback(db: Queryable, eventId: string, producer: string | undefined): Promise<RollbackTarget[]> {
  const { rows } = await db.query(
    `select e.result, e.points::float8 as points, e.rolled_back_at as "rolledBackAt", e.campaign_id as "campaignId", c.budget_kind as "budgetKind",
            e.api_key as producer
       from redemption_events e left join campaigns c on c.id = e.campaign_id
      where e.event_id = $1 and ($2::text is null or e.api_key = $2) order by e.api_key for update of e`,
    [eventId, producer ?? null],
  );
  return rows as RollbackTarget[];
}

/** From now on the event no longer counts toward frequency limits (nor as a redemption in the stats). */
export async function markEventRolledBack(db: Queryable, producer: string, eventId: string): Promise<void> {
  await db.query(`update redemption_events set rolled_back_at = now() where api_key = $1 and event_id = $2`, [producer, eventId]);
}

/** One recorded event as operators search it (GET /v1/events). */
export interface RedemptionEventRecord {
  eventId: string;
  /** The API key's principal that posted it: event ids are unique per producer. */
  producer: string;
  memberId: string | null;
  campaignId: string | null;
  code: string | null;
  outcome: 'redeemed' | 'rejected';
  reason: RejectionReason | null;
  points: number;
  result: RedemptionOutcome;
  rolledBackAt: Date | null;
  createdAt: Date;
  /** The campaign's saved rule set in force when it was decided (null: no campaign, or recorded before versions). */
  rulesVersion: number | null;
}

export interface RedemptionEventFilters {
  eventId?: string;
  producer?: string;
  memberId?: string;
  code?: string;
  campaignId?: string;
  from?: string;
  to?: string;
}

/** Newest first; `after` is the (pageAt, event id) of the last record of the previous page. */
export async function searchRedemptionEvents(
  db: Queryable,
  f: RedemptionEventFilters,
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<Array<WithPageKey<RedemptionEventRecord>>> {
  const { rows } = await db.query(
    `select event_id as "eventId", api_key as producer, member_id as "memberId", campaign_id as "campaignId", code, outcome, reason, points::float8 as points,
            result, rolled_back_at as "rolledBackAt", created_at as "createdAt", ${fullPrecisionTime('created_at')} as "pageAt",
            rules_version as "rulesVersion"
       from redemption_events
      where ($1::text is null or event_id = $1) and ($2::text is null or member_id = $2) and ($3::text is null or code = $3)
        and ($4::text is null or campaign_id = $4) and ($5::timestamptz is null or created_at >= $5) and ($6::timestamptz is null or created_at < $6)
        and ($7::timestamptz is null or (created_at, event_id) < ($7::timestamptz, $8::text))
        and ($10::text is null or api_key = $10)
      order by created_at desc, event_id desc limit $9`,
    [
      f.eventId ?? null,
      f.memberId ?? null,
      f.code ?? null,
      f.campaignId ?? null,
      f.from ?? null,
      f.to ?? null,
      after?.at ?? null,
      after?.id ?? null,
      limit,
      f.producer ?? null,
    ],
  );
  return rows as Array<WithPageKey<RedemptionEventRecord>>;
}

/** A recorded event as the what-if replay re-decides it. */
export interface ReplayableEvent {
  eventId: string;
  memberId: string;
  outcome: 'redeemed' | 'rejected';
  reason: RejectionReason | null;
  points: number;
  attributes: Record<string, unknown>;
  createdAt: Date;
}

/**
 * A campaign's last `limit` events, oldest first (the order they were decided in), handed to `onPage` `pageSize` at
 * a time through a cursor: the what-if replay paces its reading between pages instead of parsing 10,000 rows at
 * once beside events being answered. `client` must be in a transaction (a cursor lives in one).
 */
export async function readLastCampaignEvents(
  client: Queryable,
  campaignId: string,
  limit: number,
  pageSize: number,
  onPage: (events: ReplayableEvent[]) => Promise<void> | void,
): Promise<void> {
  await client.query(
    `declare last_events no scroll cursor for
       select * from (
         select event_id as "eventId", member_id as "memberId", outcome, reason, points::float8 as points, attributes, created_at as "createdAt"
           from redemption_events where campaign_id = $1 and rolled_back_at is null order by created_at desc limit $2) e
       order by "createdAt"`,
    [campaignId, limit],
  );
  for (;;) {
    const { rows } = await client.query(`fetch ${Number(pageSize)} from last_events`);
    if (rows.length === 0) break;
    await onPage(rows as ReplayableEvent[]);
  }
  await client.query('close last_events');
}

/**
 * Retention of the event log: deletes up to `limit` events older than `hours` that redeemed nothing (rejections,
 * far older than any lockout window). Redemptions stay: frequency limits, budgets and rollbacks read them.
 */
export async function deleteOldRejectedEvents(db: Queryable, hours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from redemption_events where (event_id, api_key) in (
       select event_id, api_key from redemption_events where outcome <> 'redeemed' and created_at < now() - $1 * interval '1 hour'
        limit $2 for update skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}
