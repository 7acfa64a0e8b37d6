import { z } from '../../model/zod';
import { ownerId } from '../../model/ids';
import { campaignFields, campaignRecordView } from '../../model/campaign';
import { campaignStatus, requestedStatus } from '../../model/campaign-lifecycle';

export const campaignIdParam = z.object({ id: ownerId });
export const campaignView = z
  .object({ id: z.string(), ...campaignFields, ...campaignRecordView, codeBatchId: z.string().uuid().nullable().optional() })
  .openapi('Campaign');

/** The campaign's lifecycle workflow as it answers its `lifecycle` query (LifecycleView). */
export const lifecycleView = z
  .object({
    campaignId: z.string(),
    status: campaignStatus.openapi({ description: "The status as the workflow last read it from the campaign's row" }),
    requested: requestedStatus.openapi({ description: 'What the marketer asked for' }),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    nextTimer: z
      .object({ at: z.string(), to: campaignStatus })
      .nullable()
      .openapi({ description: 'The next status change the workflow will make by itself, and when; null when none is set' }),
    topUp: z.object({ running: z.boolean(), generated: z.number().int() }),
    version: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The row version the workflow last read: equal to the campaign's ETag once it has caught up" }),
  })
  .openapi('CampaignLifecycle');
