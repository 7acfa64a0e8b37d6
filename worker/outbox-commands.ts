import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { OutboxMessage } from '../db/outbox';
import {
  campaignChangedCommand,
  codeBatchRequestedCommand,
  OUTBOX_COMMAND_TYPES,
  reservationCreatedCommand,
  type OutboxCommandType,
} from '../model/outbox-commands';
import type { TaskQueues, WorkKind } from '../runtime/config';
import type { OutboxDispatcher } from './outbox-relay';
import type { campaignLifecycleWorkflow } from '../workflows/campaign-lifecycle';
import { campaignChangedSignal } from '../workflows/campaign-lifecycle-definitions';
import type { expireReservationWorkflow } from '../workflows/expire-reservation';
import type { generateCodesWorkflow } from '../workflows/generate-codes';

type Dispatch = (temporal: Client, taskQueue: string, payload: unknown) => Promise<void>;

/** A start that finds its workflow id taken has been done already (a relay pass repeated after a crash). */
async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * What the relay does with each command type (model/outbox-commands.ts). Each is safe to repeat: a signal only
 * makes the campaign's workflow read its row again; the starts use ids Temporal refuses twice.
 */
const DISPATCH: Record<OutboxCommandType, Dispatch> = {
  // Signal-with-Start: starts `campaign-<id>` if none runs (a new campaign), else signals the running one,
  // including a workflow from before PostgreSQL decided (it switches to following the row). An ended campaign's
  // workflow has completed and is not started again (only after a failure or termination).
  'campaign.changed': (temporal, taskQueue, payload) => {
    const c = campaignChangedCommand.parse(payload);
    return startOnce(() =>
      temporal.workflow.signalWithStart<typeof campaignLifecycleWorkflow, [{ version: number }]>('campaignLifecycleWorkflow', {
        taskQueue,
        workflowId: c.workflowId,
        args: [{ campaignId: c.campaignId, checkIntervalMs: c.checkIntervalMs }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        signal: campaignChangedSignal,
        signalArgs: [{ version: c.version }],
      }),
    );
  },
  'code_batch.requested': (temporal, taskQueue, payload) => {
    const { workflowId, ...input } = codeBatchRequestedCommand.parse(payload);
    return startOnce(() =>
      temporal.workflow.start<typeof generateCodesWorkflow>('generateCodesWorkflow', { taskQueue, workflowId, args: [input] }),
    );
  },
  'reservation.created': (temporal, taskQueue, payload) => {
    const { workflowId, ...input } = reservationCreatedCommand.parse(payload);
    return startOnce(() =>
      temporal.workflow.start<typeof expireReservationWorkflow>('expireReservationWorkflow', { taskQueue, workflowId, args: [input] }),
    );
  },
};

/** Which task queue each command's workflow runs on (each kind of work has its own: runtime/config.ts). */
const QUEUE: Record<OutboxCommandType, WorkKind> = {
  'campaign.changed': 'campaigns',
  'code_batch.requested': 'bulk',
  'reservation.created': 'reservations',
};

/** Starts (or signals) in flight at once in one relay pass. */
const STARTS_IN_FLIGHT = 16;

/** Hands one committed command to Temporal; throws (the row stays pending) when Temporal is away. */
export function dispatchOutboxCommand(temporal: Client, taskQueues: TaskQueues, message: OutboxMessage): Promise<void> {
  const type = message.type as OutboxCommandType;
  return DISPATCH[type](temporal, taskQueues[QUEUE[type]], message.payload);
}

/**
 * The relay's dispatchers for the command types: each pass's commands are handed to Temporal inside the claim's
 * transaction, so the rows stay claimed (no other relay repeats them) until the hand-over commits.
 */
export function createCommandDispatchers(temporal: Client, taskQueues: TaskQueues): Map<string, OutboxDispatcher> {
  const dispatcher: OutboxDispatcher = {
    async dispatch(_tx, messages) {
      for (let i = 0; i < messages.length; i += STARTS_IN_FLIGHT) {
        await Promise.all(messages.slice(i, i + STARTS_IN_FLIGHT).map((m) => dispatchOutboxCommand(temporal, taskQueues, m)));
      }
    },
  };
  return new Map(OUTBOX_COMMAND_TYPES.map((type) => [type, dispatcher]));
}
