import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction } from '@temporalio/client';
import type { RetentionConfig } from '../runtime/config';
import { describeError } from '../model/errors';
import { logger } from '../runtime/logger';
import type { RetentionInput } from '../workflows/retention';

export const retentionScheduleId = (prefix: string) => `${prefix}retention`;

/** The pass's input from the settings, deliveries before the outbox rows they refer to. */
export function retentionInput(config: RetentionConfig): RetentionInput {
  const h = config.hours;
  return {
    hours: {
      webhook_deliveries: h.deliveries,
      outbox: h.outbox,
      idempotency_keys: h.idempotencyKeys,
      redemption_events: h.eventLog,
      code_history: h.codeHistory,
      audit_log: h.auditLog,
    },
    batchSize: config.batchSize,
  };
}

/**
 * Creates the Temporal Schedule that runs the retention pass every `everyMs` (one at a time: a pass still running
 * skips the next), or brings an existing one to the current settings. Every worker calls it at start; a failure
 * is logged, not fatal: the schedule from an earlier start keeps running.
 */
export async function ensureRetentionSchedule(client: Client, taskQueue: string, config: RetentionConfig, prefix: string): Promise<void> {
  const scheduleId = retentionScheduleId(prefix);
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'retentionWorkflow',
    workflowId: `${prefix}retention-pass`,
    taskQueue,
    args: [retentionInput(config)],
  };
  const spec = { intervals: [{ every: config.everyMs }] };
  try {
    try {
      await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    }
  } catch (error) {
    logger.warn({ err: describeError(error), scheduleId }, 'could not create or update the retention schedule');
  }
}
