import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignLifecycleActivities } from '../activities/campaign-lifecycle';
import { decideStatus, nextTimer, type LifecycleState } from '../domain/campaign-lifecycle';
import {
  changeLifecycleUpdate,
  lifecycleQuery,
  type CampaignLifecycleInput,
  type LifecycleChange,
  type LifecycleView,
} from './campaign-lifecycle-definitions';
import type { generateCodesWorkflow } from './generate-codes';

const { applyCampaignLifecycle, checkCampaign, createTopUpBatch } = proxyActivities<CampaignLifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds', nonRetryableErrorTypes: ['CampaignNotFound'] },
});

// Past this many events the workflow continues as new with its state, so a years-long campaign stays cheap.
const HISTORY_LIMIT = 2_000;
// Chunk settings of a top-up generation (a top-up is small; the defaults of POST /v1/code-batches apply otherwise).
const TOP_UP_CHUNK = { chunkSize: 50_000, parallelism: 2 };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (instant: string | null) => (instant === null ? null : Date.parse(instant));

/**
 * One per campaign (`campaign-<id>`) for its whole life. Moves it draft → scheduled → active → ended on durable
 * timers at startsAt / endsAt, paused and resumed by changes from the API (an Update that answers once the
 * decided status is stored). While active it checks budget use and code stock every `checkIntervalMs`: alerts
 * and an optional code top-up (a child generation workflow, one at a time, up to a ceiling). On end it stores
 * and sends a final stats snapshot, and completes.
 */
export async function campaignLifecycleWorkflow(input: CampaignLifecycleInput): Promise<LifecycleView> {
  let state: LifecycleState | null = input.state ?? null;
  let version = 0;
  let applied = 0;
  let topUpRunning = false;

  const view = (): LifecycleView | null => {
    if (!state) return null;
    const timer = nextTimer(state, Date.now());
    return {
      campaignId: input.campaignId,
      status: state.status,
      requested: state.requested,
      startsAt: iso(state.startsAt),
      endsAt: iso(state.endsAt),
      nextTimer: timer && { at: iso(timer.at)!, to: timer.to },
      topUp: { running: topUpRunning, generated: state.toppedUp },
    };
  };
  setHandler(lifecycleQuery, view);
  setHandler(
    changeLifecycleUpdate,
    async (change: LifecycleChange) => {
      // In place: the main loop holds the same object across its awaits.
      state ??= { campaignId: input.campaignId, status: 'draft', toppedUp: 0, requested: change.requested, startsAt: null, endsAt: null };
      Object.assign(state, { requested: change.requested, startsAt: ms(change.startsAt), endsAt: ms(change.endsAt) });
      const mine = ++version;
      await condition(() => applied >= mine);
      return view()!;
    },
    {
      validator: (change: LifecycleChange) => {
        if (state?.status === 'ended')
          throw ApplicationFailure.nonRetryable('the campaign has ended; its status and dates can no longer change', 'CampaignEnded');
        if (change.startsAt && change.endsAt && Date.parse(change.endsAt) <= Date.parse(change.startsAt)) {
          throw ApplicationFailure.nonRetryable('endsAt must be after startsAt', 'InvalidDates');
        }
      },
    },
  );

  await condition(() => state !== null);
  for (;;) {
    const current = state!;
    const target = version;
    const status = decideStatus(current, Date.now());
    if (status !== current.status || target > applied) {
      await applyCampaignLifecycle({ campaignId: input.campaignId, status, startsAt: current.startsAt, endsAt: current.endsAt });
      current.status = status;
      applied = target;
    }
    if (status === 'ended') {
      applied = version; // changes that arrived meanwhile are answered with the final state
      await condition(allHandlersFinished);
      return view()!;
    }
    if (status === 'active') await watchStockAndBudget(current);

    if (workflowInfo().historyLength > HISTORY_LIMIT && !topUpRunning) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof campaignLifecycleWorkflow>({ ...input, state: current });
    }
    const timer = nextTimer(current, Date.now());
    const untilTimer = timer ? Math.max(timer.at - Date.now(), 1) : Infinity;
    const wait = Math.min(untilTimer, status === 'active' ? input.checkIntervalMs : Infinity);
    await condition(() => version > applied, wait === Infinity ? undefined : wait);
  }

  /** Alerts (in the activity) and the top-up decision (here: it starts a child workflow). */
  async function watchStockAndBudget(current: LifecycleState): Promise<void> {
    const check = await checkCampaign(input.campaignId);
    const topUp = check.topUp;
    if (!topUp || topUpRunning || check.unused >= topUp.below || current.toppedUp + topUp.quantity > topUp.max) return;
    const batch = await createTopUpBatch({ campaignId: input.campaignId, quantity: topUp.quantity, id: uuid4() });
    if (!batch) return;
    current.toppedUp += topUp.quantity;
    topUpRunning = true;
    const child = await startChild<typeof generateCodesWorkflow>('generateCodesWorkflow', {
      workflowId: batch.workflowId,
      args: [{ batchId: batch.batchId, quantity: topUp.quantity, ...TOP_UP_CHUNK }],
      // The generation is a job of its own: it finishes even if the campaign's workflow continues as new or ends.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    void child
      .result()
      .finally(() => (topUpRunning = false))
      .catch(() => undefined);
  }
}
