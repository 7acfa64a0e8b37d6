import { WithStartWorkflowOperation } from '@temporalio/client';
import { ApiError } from '../api/errors';
import type { z } from '../model/zod';
import type { postEventRequest } from '../model/event';
import type { CodeEvent } from '../activities/redemption';
import { findEventSchema } from '../db/event-schemas';
import type { RedemptionOutcome } from '../db/redemption-events';
import { validateEventAttributes } from '../rules/event-validation';
import type { redeemCodeEventWorkflow } from '../workflows/redeem-code-event';

// Name of the workflow's update (workflows/redeem-code-event.ts); a string keeps workflow code out of the API.
const REDEEM_UPDATE = 'redeem';
import type { AppContext } from './context';

/**
 * Checks an event against its active schema, then starts the redemption workflow keyed by the event id (or
 * joins the one running for it) and gets its outcome in the same call (Update-with-Start). The same event id
 * always gets one redemption and the same answer: a later run for a finished workflow finds the event
 * already decided in the database.
 */
export async function postEvent(ctx: AppContext, body: z.infer<typeof postEventRequest>, apiKey: string): Promise<RedemptionOutcome> {
  const schema = await findEventSchema(ctx.db, body.name);
  if (!schema) throw new ApiError(422, 'unknown_event', `no event schema "${body.name}"`, 'name');
  if (!schema.active) throw new ApiError(422, 'event_schema_inactive', `the event schema "${body.name}" is not active`, 'name');
  const checked = validateEventAttributes(schema, body.attributes);
  if (!checked.ok) throw new ApiError(400, checked.code, checked.message, checked.field);

  const event: CodeEvent = { id: body.id, name: body.name, memberId: body.memberId, attributes: checked.attributes, apiKey };
  const start = new WithStartWorkflowOperation<typeof redeemCodeEventWorkflow>('redeemCodeEventWorkflow', {
    taskQueue: ctx.config.taskQueue,
    workflowId: `redeem-event-${body.id}`,
    args: [event],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return ctx.temporal.workflow.executeUpdateWithStart<typeof redeemCodeEventWorkflow, RedemptionOutcome, []>(REDEEM_UPDATE, { startWorkflowOperation: start });
}
