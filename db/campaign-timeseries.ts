import type { Queryable } from './database';

export type Bucket = 'hour' | 'day';

export interface TimeseriesPoint {
  /** Start of the bucket (UTC). */
  at: Date;
  redeemed: number;
  points: number;
  rejected: Record<string, number>;
}

/**
 * Redemption outcomes of a campaign per hour or day (UTC), rolled-back events excluded. Reads only
 * redemption_events through its (campaign_id, created_at) index: the size of the code pool does not matter.
 */
export async function campaignTimeseries(
  db: Queryable,
  campaignId: string,
  bucket: Bucket,
  from: Date,
  to: Date,
): Promise<TimeseriesPoint[]> {
  const { rows } = await db.query(
    `select date_trunc($2, created_at, 'UTC') as at, outcome, coalesce(reason, '') as reason,
            count(*)::int as n, coalesce(sum(points), 0)::float8 as points
       from redemption_events
      where campaign_id = $1 and created_at >= $3 and created_at < $4 and rolled_back_at is null
      group by 1, 2, 3 order by 1`,
    [campaignId, bucket, from, to],
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
