import { z } from '../../model/zod';
import { ownerId } from '../../model/ids';
import { campaignFields, campaignRecordView } from '../../model/campaign';

export const campaignIdParam = z.object({ id: ownerId });
export const campaignView = z
  .object({ id: z.string(), ...campaignFields, ...campaignRecordView, codeBatchId: z.string().uuid().nullable().optional() })
  .openapi('Campaign');
