import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignLifecycleActivities } from '../activities/campaign-lifecycle';
import { decideStatus, nextTimer, type LifecycleState } from '../domain/campaign-lifecycle';
import {
  campaignChangedSignal,
  changeLifecycleUpdate,
  lifecycleQuery,
  type CampaignLifecycleInput,
  type CampaignLifecycleWorkflow,
  type LifecycleChange,
  type LifecycleView,
} from './campaign-lifecycle-definitions';
import { topUpWatcher } from './campaign-top-up';

/** Once a workflow from before runs this code, it continues as new on the row-following path at its next wake. */
export const SWITCH_TO_ROW_PATCH = 'campaign-switches-to-row';

const { applyCampaignLifecycle } = proxyActivities<CampaignLifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds', nonRetryableErrorTypes: ['CampaignNotFound'] },
});

// Past this many events the workflow continues as new with its state, so a years-long campaign stays cheap.
const HISTORY_LIMIT = 2_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (instant: string | null) => (instant === null ? null : Date.parse(instant));

/**
 * The lifecycle as it ran before PostgreSQL decided campaign states (the workflow then decided and wrote the
 * status, the API waited on an Update). Kept, unchanged in what it asks Temporal to do, so that the histories
 * of workflows started before replay (test/integration/replay.test.ts); at its first wake under this code it
 * continues as new on the path that follows the row (campaignLifecycleWorkflow), so such a campaign keeps its
 * workflow: signalled by the outbox relay, never duplicated.
 */
export async function legacyCampaignLifecycle(input: CampaignLifecycleInput): Promise<LifecycleView> {
  let state: LifecycleState | null = input.state ?? null;
  let version = 0;
  let applied = 0;
  let rowChanged = false;
  const topUp = topUpWatcher(input.campaignId);
  const topUpRunning = () => topUp.running();
  setHandler(campaignChangedSignal, () => void (rowChanged = true));

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
      topUp: { running: topUpRunning(), generated: state.toppedUp },
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
    if (status === 'active') await topUp.watch(current);

    if (workflowInfo().historyLength > HISTORY_LIMIT && !topUpRunning()) {
      await condition(allHandlersFinished);
      return continueAsNew<CampaignLifecycleWorkflow>({ ...input, state: current });
    }
    const timer = nextTimer(current, Date.now());
    const untilTimer = timer ? Math.max(timer.at - Date.now(), 1) : Infinity;
    const wait = Math.min(untilTimer, status === 'active' ? input.checkIntervalMs : Infinity);
    await condition(() => version > applied || rowChanged, wait === Infinity ? undefined : wait);
    if (patched(SWITCH_TO_ROW_PATCH)) {
      return continueAsNew<CampaignLifecycleWorkflow>({
        campaignId: input.campaignId,
        checkIntervalMs: input.checkIntervalMs,
        toppedUp: current.toppedUp,
      });
    }
  }
}
