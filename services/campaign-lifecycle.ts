import type { Queryable } from '../db/database';
import { enqueueOutbox } from '../db/outbox';
import type { CampaignChangedCommand } from '../model/outbox-commands';
import { campaignWorkflowId, lifecycleQuery, type LifecycleView } from '../workflows/campaign-lifecycle-definitions';
import type { AppContext } from './context';

/**
 * Tells the campaign's workflow, in the caller's transaction, that its row changed: the worker's outbox relay
 * signals `campaign-<id>` once the change commits (starting it if none runs), whenever Temporal is reachable.
 * Nothing here waits on Temporal.
 */
export async function notifyCampaignWorkflow(client: Queryable, ctx: AppContext, campaignId: string, version: number): Promise<void> {
  const command: CampaignChangedCommand = {
    workflowId: campaignWorkflowId(campaignId, ctx.config.workflowIdPrefix),
    campaignId,
    version,
    checkIntervalMs: ctx.config.campaignCheckIntervalMs,
  };
  await enqueueOutbox(client, 'campaign.changed', command);
}

/** The campaign's workflow state and next timer (null when it has none yet, or Temporal is away). */
export async function readLifecycle(ctx: AppContext, campaignId: string): Promise<LifecycleView | null> {
  try {
    return await ctx.temporal.workflow.getHandle(campaignWorkflowId(campaignId, ctx.config.workflowIdPrefix)).query(lifecycleQuery);
  } catch {
    return null;
  }
}
