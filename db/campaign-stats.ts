import type { Queryable } from './database';
import { countOf, ownedPoolStatusCounts, totalOf } from './code-pool-counts';

export interface CampaignStats {
  codes: { total: number; unused: number; redeemed: number; cancelled: number; other: number };
  redemptions: number;
  pointsIssued: number;
  rejections: Record<string, number>;
}

/** Code counts of the campaign's pool (kept per status by the database), stored redemption outcomes. */
export async function campaignStats(db: Queryable, campaignId: string): Promise<CampaignStats> {
  const counts = await ownedPoolStatusCounts(db, 'campaign', campaignId);
  const total = totalOf(counts);
  const events = await db.query(
    `select outcome, reason, count(*)::int as n, coalesce(sum(points), 0)::float8 as points from redemption_events
      where campaign_id = $1 and rolled_back_at is null group by outcome, reason`,
    [campaignId],
  );
  const redeemed = events.rows.find((r: { outcome: string }) => r.outcome === 'redeemed');
  return {
    codes: {
      total,
      unused: countOf(counts, 'unused'),
      redeemed: countOf(counts, 'redeemed'),
      cancelled: countOf(counts, 'cancelled'),
      other: total - countOf(counts, 'unused', 'redeemed', 'cancelled'),
    },
    redemptions: redeemed?.n ?? 0,
    pointsIssued: redeemed?.points ?? 0,
    rejections: Object.fromEntries(
      events.rows.filter((r: { outcome: string }) => r.outcome === 'rejected').map((r: { reason: string; n: number }) => [r.reason, r.n]),
    ),
  };
}
