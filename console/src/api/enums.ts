import type { Schemas } from './client';

/**
 * The values of the API's enums, for the screens that list them (selects, filters). Their types come from the
 * generated OpenAPI types, and each list is written as a record over that type, so the type-check
 * (`npm run typecheck` regenerates the types first) fails when the API adds or drops a value: no run-time read of
 * `/openapi.json`, no fallback that goes stale.
 */
const valuesOf = <T extends string>(all: Record<T, true>) => Object.keys(all) as T[];

/** What a marketer may ask a campaign to be (its workflow then decides scheduled, active, ended). */
export type RequestedCampaignStatus = Schemas['UpdateCampaignRequest']['status'];
export const REQUESTED_CAMPAIGN_STATUSES = valuesOf<RequestedCampaignStatus>({ draft: true, active: true, paused: true, ended: true });

export type CodeStatus = Schemas['Code']['status'];
export const CODE_STATUSES = valuesOf<CodeStatus>({
  unused: true,
  reserved: true,
  assigned: true,
  redeemed: true,
  awarded: true,
  fulfilled: true,
  cancelled: true,
});

export type NotificationType = Schemas['Webhook']['events'][number];
export const NOTIFICATION_TYPES = valuesOf<NotificationType>({
  'redemption.succeeded': true,
  'redemption.rolled_back': true,
  'reward.redeemed': true,
  'campaign.started': true,
  'campaign.ended': true,
  'campaign.paused': true,
  'budget.threshold_reached': true,
  'codes.running_low': true,
  'code_batch.completed': true,
  'code_batch.failed': true,
  'code_import.completed': true,
  'code_import.failed': true,
  'distribution.completed': true,
  'distribution.failed': true,
});
