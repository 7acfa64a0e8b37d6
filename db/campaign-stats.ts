import type { Queryable } from './database';

export interface CampaignStats {
  codes: { total: number; unused: number; redeemed: number; cancelled: number; other: number };
  redemptions: number;
  pointsIssued: number;
  rejections: Record<string, number>;
}

/** Counts derived from the rows themselves (codes of the campaign's pool, stored redemption outcomes). */
export async function campaignStats(db: Queryable, campaignId: string): Promise<CampaignStats> {
  const codes = await db.query(
    `select status, count(*)::int as n from codes
      where pool_id = (select id from code_pools where kind = 'campaign' and owner_id = $1) group by status`,
    [campaignId],
  );
  const byStatus = Object.fromEntries(codes.rows.map((r: { status: string; n: number }) => [r.status, r.n]));
  const total = codes.rows.reduce((sum: number, r: { n: number }) => sum + r.n, 0);
  const events = await db.query(
    `select outcome, reason, count(*)::int as n, coalesce(sum(points), 0)::float8 as points from redemption_events
      where campaign_id = $1 and rolled_back_at is null group by outcome, reason`,
    [campaignId],
  );
  const redeemed = events.rows.find((r: { outcome: string }) => r.outcome === 'redeemed');
  return {
    codes: {
      total,
      unused: byStatus.unused ?? 0,
      redeemed: byStatus.redeemed ?? 0,
      cancelled: byStatus.cancelled ?? 0,
      other: total - (byStatus.unused ?? 0) - (byStatus.redeemed ?? 0) - (byStatus.cancelled ?? 0),
    },
    redemptions: redeemed?.n ?? 0,
    pointsIssued: redeemed?.points ?? 0,
    rejections: Object.fromEntries(
      events.rows.filter((r: { outcome: string }) => r.outcome === 'rejected').map((r: { reason: string; n: number }) => [r.reason, r.n]),
    ),
  };
}
