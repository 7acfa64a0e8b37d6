import { ApplicationFailure } from '@temporalio/activity';
import type { Database, Queryable } from '../db/database';
import { findCampaign } from '../db/campaigns';
import { dailyRedemptions } from '../db/campaign-timeseries';
import { campaignStats } from '../db/campaign-stats';
import { claimAlert, readBudget, readCampaignWatch, rearmAlert, storeFinalStats, writeLifecycle } from '../db/campaign-lifecycle';
import { enqueueOutbox } from '../db/outbox';
import { findBatch, insertBatch, lastGenerationSpec } from '../db/code-batches';
import { resolvePool } from '../db/code-pools';
import type { CampaignStatus } from '../model/campaign-lifecycle';

export interface ApplyLifecycleInput {
  campaignId: string;
  status: CampaignStatus;
  startsAt: number | null;
  endsAt: number | null;
}

export interface CampaignCheck {
  unused: number;
  topUp: { below: number; quantity: number; max: number } | null;
}

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

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

export function createCampaignLifecycleActivities(db: Database) {
  return {
    /**
     * Stores the status and dates the workflow decided, and in the same transaction the notification of the
     * change (campaign.started / paused / ended); on end, the final stats snapshot too. Idempotent: a retry
     * finds the status already stored and writes no second notification.
     */
    async applyCampaignLifecycle(input: ApplyLifecycleInput): Promise<void> {
      await db.transaction(async (client) => {
        const previous = await writeLifecycle(client, input.campaignId, input.status, at(input.startsAt), at(input.endsAt));
        if (previous === null) throw ApplicationFailure.nonRetryable(`no campaign "${input.campaignId}"`, 'CampaignNotFound');
        if (previous === input.status) return;
        const base = { version: 1, campaignId: input.campaignId, previousStatus: previous, at: new Date().toISOString() };
        if (input.status === 'active') await enqueueOutbox(client, 'campaign.started', { ...base, resumed: previous === 'paused' });
        if (input.status === 'paused') await enqueueOutbox(client, 'campaign.paused', base);
        if (input.status === 'ended') {
          const stats = await finalStats(client, input.campaignId);
          await storeFinalStats(client, input.campaignId, stats);
          await enqueueOutbox(client, 'campaign.ended', { ...base, stats });
        }
      });
    },

    /**
     * The periodic look at a running campaign: sends each budget threshold and the low-stock alert once (in the
     * transaction that records it as sent), and tells the workflow the stock so it can decide a top-up.
     */
    async checkCampaign(campaignId: string): Promise<CampaignCheck> {
      return db.transaction(async (client) => {
        const watch = await readCampaignWatch(client, campaignId);
        if (!watch) throw ApplicationFailure.nonRetryable(`no campaign "${campaignId}"`, 'CampaignNotFound');
        if (watch.budgetCap) {
          for (const threshold of watch.alerts.budgetThresholds ?? []) {
            if (watch.budgetUsed * 100 >= threshold * watch.budgetCap && (await claimAlert(client, campaignId, `budget:${threshold}`))) {
              await enqueueOutbox(client, 'budget.threshold_reached', {
                version: 1,
                campaignId,
                threshold,
                kind: watch.budgetKind,
                cap: watch.budgetCap,
                used: watch.budgetUsed,
              });
            }
          }
        }
        const below = watch.alerts.codesBelow;
        if (below !== undefined && watch.unused < below) {
          if (await claimAlert(client, campaignId, 'codes_low')) {
            await enqueueOutbox(client, 'codes.running_low', { version: 1, campaignId, unused: watch.unused, threshold: below });
          }
        } else if (below !== undefined) {
          await rearmAlert(client, campaignId, 'codes_low');
        }
        return { unused: watch.unused, topUp: watch.topUp };
      });
    },

    /**
     * Records a top-up generation job like the pool's last generation; returns its ids, or null when the pool
     * has never been generated (nothing to copy the code shape from).
     */
    async createTopUpBatch(input: {
      campaignId: string;
      quantity: number;
      id: string;
    }): Promise<{ batchId: string; workflowId: string } | null> {
      return db.transaction(async (client) => {
        const pool = await resolvePool(client, { type: 'campaign', id: input.campaignId });
        const workflowId = `generate-codes-${input.id}`;
        if (await findBatch(client, input.id)) return { batchId: input.id, workflowId }; // a retried activity
        const last = await lastGenerationSpec(client, pool.id);
        if (!last) return null;
        await insertBatch(client, {
          id: input.id,
          poolId: pool.id,
          source: 'generation',
          requested: input.quantity,
          spec: last.spec,
          shape: last.shape,
          workflowId,
          createdBy: 'top-up',
        });
        return { batchId: input.id, workflowId };
      });
    },
  };
}

export type CampaignLifecycleActivities = ReturnType<typeof createCampaignLifecycleActivities>;
