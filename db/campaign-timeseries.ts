import type { Queryable } from './database';

export type Bucket = 'hour' | 'day';

export interface TimeseriesPoint {
  /** Start of the bucket: a local hour or local midnight in the campaign's time zone. */
  at: Date;
  redeemed: number;
  points: number;
  rejected: Record<string, number>;
}

/**
 * Redemption outcomes of a campaign per hour or day of its time zone (a day of 23 or 25 hours is one bucket),
 * rolled-back events excluded. Reads only
 * redemption_events through its (campaign_id, created_at) index: the size of the code pool does not matter.
 */
export async function campaignTimeseries(
  db: Queryable,
  campaignId: string,
  bucket: Bucket,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<TimeseriesPoint[]> {
  const { rows } = await db.query(
    `select date_trunc($2, created_at, $5) as at, outcome, coalesce(reason, '') as reason,
            count(*)::int as n, coalesce(sum(points), 0)::float8 as points
       from redemption_events
      where campaign_id = $1 and created_at >= $3 and created_at < $4 and rolled_back_at is null
      group by 1, 2, 3 order by 1`,
    [campaignId, bucket, from, to, timeZone],
  );
  const byBucket = new Map<number, TimeseriesPoint>();
  for (const r of rows as Array<{ at: Date; outcome: string; reason: string; n: number; points: number }>) {
    const at = r.at;
    const point = byBucket.get(at.getTime()) ?? { at, redeemed: 0, points: 0, rejected: {} };
    if (r.outcome === 'redeemed') {
      point.redeemed += r.n;
      point.points += r.points;
    } else point.rejected[r.reason || 'unknown'] = (point.rejected[r.reason || 'unknown'] ?? 0) + r.n;
    byBucket.set(at.getTime(), point);
  }
  return [...byBucket.values()];
}

/** Redemptions per local day of the campaign's time zone over its whole life (the final stats snapshot). */
export async function dailyRedemptions(
  db: Queryable,
  campaignId: string,
  timeZone: string,
): Promise<Array<{ day: string; redeemed: number; points: number }>> {
  const { rows } = await db.query(
    `select to_char((created_at at time zone $2)::date, 'YYYY-MM-DD') as day, count(*)::int as redeemed,
            coalesce(sum(points), 0)::float8 as points
       from redemption_events where campaign_id = $1 and outcome = 'redeemed' and rolled_back_at is null
      group by 1 order by 1`,
    [campaignId, timeZone],
  );
  return rows as Array<{ day: string; redeemed: number; points: number }>;
}
