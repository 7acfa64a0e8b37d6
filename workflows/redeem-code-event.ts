import { defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { CodeEvent, RedemptionActivities } from '../activities/redemption';
import type { RedemptionOutcome } from '../db/redemption-events';

// A local activity: the caller is waiting for the answer, and one transaction decides it; a separate task
// round trip through the server would only add latency. Retries are safe: the event id is claimed in the database.
const { redeemCodeEvent } = proxyLocalActivities<RedemptionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

/** The API starts the workflow and asks for the outcome in one call (Update-with-Start): no result long-poll. */
export const redeemUpdate = defineUpdate<RedemptionOutcome>('redeem');

/** One custom event carrying a code: decides and applies its redemption exactly once (workflow id = event id). */
export async function redeemCodeEventWorkflow(event: CodeEvent): Promise<RedemptionOutcome> {
  let decision: Promise<RedemptionOutcome> | undefined;
  const decide = () => (decision ??= redeemCodeEvent(event));
  setHandler(redeemUpdate, decide);
  return decide();
}
