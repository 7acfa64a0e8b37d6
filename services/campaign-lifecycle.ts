import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DomainError, describeError } from '../model/errors';
import type { campaignLifecycleWorkflow } from '../workflows/campaign-lifecycle';
import {
  campaignWorkflowId,
  changeLifecycleUpdate,
  lifecycleQuery,
  type LifecycleChange,
  type LifecycleView,
} from '../workflows/campaign-lifecycle-definitions';
import type { AppContext } from './context';

const UPDATE_DEADLINE_MS = 30_000;

/**
 * Sends a campaign's wish and dates to its workflow, starting the workflow if it isn't running yet (a new
 * campaign, or one from before lifecycles), and answers once the workflow has stored the status it decided.
 */
export async function changeLifecycle(ctx: AppContext, campaignId: string, change: LifecycleChange): Promise<LifecycleView> {
  const start = new WithStartWorkflowOperation<typeof campaignLifecycleWorkflow>('campaignLifecycleWorkflow', {
    taskQueue: ctx.config.taskQueues.campaigns,
    workflowId: campaignWorkflowId(campaignId, ctx.config.workflowIdPrefix),
    args: [{ campaignId, checkIntervalMs: ctx.config.campaignCheckIntervalMs }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // An ended campaign's workflow has completed: it is not started again (only after a failure or termination).
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
  try {
    // Bounded: with no worker polling, the update would wait forever; the caller gets a 503 instead.
    return await ctx.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      ctx.temporal.workflow.executeUpdateWithStart(changeLifecycleUpdate, { startWorkflowOperation: start, args: [change] }),
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new DomainError('conflict', 'campaign_ended', 'the campaign has ended; its status and dates can no longer change', 'status');
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as { type?: string; message?: string } | undefined;
      if (cause?.type === 'CampaignEnded')
        throw new DomainError('conflict', 'campaign_ended', cause.message ?? 'the campaign has ended', 'status');
      throw new DomainError('invalid', 'lifecycle_refused', describeError(cause ?? error), 'status');
    }
    throw new DomainError('unavailable', 'workflow_unavailable', `the campaign's workflow could not be reached: ${describeError(error)}`);
  }
}

/** The campaign's workflow state and next timer (null when it has none yet). */
export async function readLifecycle(ctx: AppContext, campaignId: string): Promise<LifecycleView | null> {
  try {
    return await ctx.temporal.workflow.getHandle(campaignWorkflowId(campaignId, ctx.config.workflowIdPrefix)).query(lifecycleQuery);
  } catch {
    return null;
  }
}
