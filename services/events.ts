import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { ApiError } from '../api/errors';
import type { z } from '../api/schemas/zod';
import type { postEventRequest } from '../api/schemas/event';
import type { CodeEvent } from '../activities/redemption';
import { findEventSchema } from '../db/event-schemas';
import type { RedemptionOutcome } from '../db/redemption-events';
import { validateEventAttributes } from '../rules/event-validation';
import type { redeemCodeEventWorkflow } from '../workflows/redeem-code-event';
import type { AppContext } from './context';

/**
 * Checks an event against its active schema, then starts the redemption workflow keyed by the event id (or
 * joins the one already started for it) and waits for its outcome: the same event id always gets one
 * redemption and the same answer.
 */
export async function postEvent(ctx: AppContext, body: z.infer<typeof postEventRequest>, apiKey: string): Promise<RedemptionOutcome> {
  const schema = await findEventSchema(ctx.db, body.name);
  if (!schema) throw new ApiError(422, 'unknown_event', `no event schema "${body.name}"`, 'name');
  if (!schema.active) throw new ApiError(422, 'event_schema_inactive', `the event schema "${body.name}" is not active`, 'name');
  const checked = validateEventAttributes(schema, body.attributes);
  if (!checked.ok) throw new ApiError(400, checked.code, checked.message, checked.field);

  const event: CodeEvent = { id: body.id, name: body.name, memberId: body.memberId, attributes: checked.attributes, apiKey };
  const workflowId = `redeem-event-${body.id}`;
  let handle: WorkflowHandle<typeof redeemCodeEventWorkflow>;
  try {
    handle = await ctx.temporal.workflow.start<typeof redeemCodeEventWorkflow>('redeemCodeEventWorkflow', {
      taskQueue: ctx.config.taskQueue,
      workflowId,
      args: [event],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    handle = ctx.temporal.workflow.getHandle(workflowId);
  }
  return handle.result();
}
