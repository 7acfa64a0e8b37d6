import type { Queryable } from '../db/database';
import { campaignStats } from '../db/campaign-stats';
import { findCampaign } from '../db/campaigns';
import { dailyRedemptions } from '../db/campaign-timeseries';
import { readBudget, storeFinalStats } from '../db/campaign-lifecycle';
import { enqueueOutbox } from '../db/outbox';
import type { CampaignStatus } from '../model/campaign-lifecycle';

/** What is kept when a campaign ends: its stats, its budget, and its redemptions per day of its time zone. */
async function finalStats(db: Queryable, campaignId: string) {
  const timeZone = (await findCampaign(db, campaignId))?.timeZone ?? 'UTC';
  return {
    ...(await campaignStats(db, campaignId)),
    budget: await readBudget(db, campaignId),
    timeZone,
    redemptionsByDay: await dailyRedemptions(db, campaignId, timeZone),
  };
}

/**
 * The notification of a status change (campaign.started / paused / ended), and on end the final stats snapshot,
 * in the caller's transaction: the one that writes the status, whether a marketer's PATCH or a timer's activity.
 */
export async function announceStatusChange(
  db: Queryable,
  campaignId: string,
  previous: CampaignStatus,
  status: CampaignStatus,
): Promise<void> {
  if (previous === status) return;
  const base = { version: 1, campaignId, previousStatus: previous, at: new Date().toISOString() };
  if (status === 'active') await enqueueOutbox(db, 'campaign.started', { ...base, resumed: previous === 'paused' });
  if (status === 'paused') await enqueueOutbox(db, 'campaign.paused', base);
  if (status === 'ended') {
    const stats = await finalStats(db, campaignId);
    await storeFinalStats(db, campaignId, stats);
    await enqueueOutbox(db, 'campaign.ended', { ...base, stats });
  }
}
