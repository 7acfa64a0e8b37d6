import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignStatus, RequestedStatus } from '../model/campaign-lifecycle';

// Shared by the campaign's workflow and the API that starts it and sends it changes.

export const campaignWorkflowId = (campaignId: string, prefix = '') => `${prefix}campaign-${campaignId}`;

export interface CampaignLifecycleInput {
  campaignId: string;
  /** How often budget use and code stock are checked while the campaign runs (alerts, top-up). */
  checkIntervalMs: number;
  /** Carried over by continue-as-new. */
  state?: import('../domain/campaign-lifecycle').LifecycleState;
}

/** The campaign's wish and dates (ISO instants or null); the workflow decides the status from them. */
export interface LifecycleChange {
  requested: RequestedStatus;
  startsAt: string | null;
  endsAt: string | null;
}

export interface LifecycleView {
  campaignId: string;
  status: CampaignStatus;
  requested: RequestedStatus;
  startsAt: string | null;
  endsAt: string | null;
  /** The next status change the workflow will make by itself, and when. */
  nextTimer: { at: string; to: CampaignStatus } | null;
  topUp: { running: boolean; generated: number };
}

/** Applies a change of status or dates; answers once the decided status is stored. Refused once ended. */
export const changeLifecycleUpdate = defineUpdate<LifecycleView, [LifecycleChange]>('changeLifecycle');
export const lifecycleQuery = defineQuery<LifecycleView | null>('lifecycle');
