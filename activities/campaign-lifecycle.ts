import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../db/database';
import { claimAlert, readCampaignWatch, readLifecycleRow, rearmAlert, writeTimedStatus } from '../db/campaign-lifecycle';
import { enqueueOutbox } from '../db/outbox';
import { findBatch, insertBatch, lastGenerationSpec } from '../db/code-batches';
import { resolvePool } from '../db/code-pools';
import type { CampaignLifecycleRow, CampaignStatus } from '../model/campaign-lifecycle';
import { announceStatusChange } from './campaign-status-change';
import { recordChange } from '../db/audit-log';

/** Who the history names for a status change a campaign's dates make (scheduled → active, → ended). */
const LIFECYCLE_ACTOR = 'system:lifecycle';

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

export function createCampaignLifecycleActivities(db: Database) {
  return {
    /** The row a campaign's workflow follows: status, dates, version (null: no such campaign). */
    async readCampaignLifecycle(campaignId: string): Promise<CampaignLifecycleRow | null> {
      return readLifecycleRow(db, campaignId);
    },

    /**
     * A timer's status change (scheduled → active, → ended), written with its notification (and on end the final
     * stats) only if the row is still at `version`: a marketer's change committed meanwhile wins, and the newer
     * row is answered instead, for the workflow to decide again. Idempotent: a retry finds the version moved and
     * writes nothing twice. Null when the campaign is gone.
     */
    async advanceCampaignStatus(input: {
      campaignId: string;
      status: CampaignStatus;
      version: number;
    }): Promise<CampaignLifecycleRow | null> {
      return db.transaction(async (client) => {
        const row = await readLifecycleRow(client, input.campaignId, true);
        if (!row || row.version !== input.version || row.status === input.status) return row;
        const written = await writeTimedStatus(client, input.campaignId, input.status);
        await announceStatusChange(client, input.campaignId, row.status, input.status);
        await recordChange(client, {
          actor: LIFECYCLE_ACTOR,
          entityType: 'campaign',
          entityId: input.campaignId,
          action: 'update',
          before: { status: row.status },
          after: { status: input.status },
        });
        return written;
      });
    },

    /**
     * Legacy: how workflows from before PostgreSQL decided stored their status. The row decides now, so this
     * writes nothing; it stays registered so such an activity scheduled before the upgrade completes.
     */
    async applyCampaignLifecycle(_input: ApplyLifecycleInput): Promise<void> {},

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
