import { condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CampaignLifecycleActivities } from '../activities/campaign-lifecycle';
import { decideStatus, pendingTimer, requestedOf } from '../domain/campaign-lifecycle';
import type { CampaignLifecycleRow } from '../model/campaign-lifecycle';
import { campaignChangedSignal, lifecycleQuery, type CampaignLifecycleInput, type LifecycleView } from './campaign-lifecycle-definitions';
import { legacyCampaignLifecycle } from './campaign-lifecycle-legacy';
import { topUpWatcher } from './campaign-top-up';

const { readCampaignLifecycle, advanceCampaignStatus } = proxyActivities<CampaignLifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds' },
});

/** Workflows that began before this path ran the legacy one (campaign-lifecycle-legacy.ts); their histories have no marker. */
const FOLLOW_ROW_PATCH = 'campaign-follows-row';
// Past this many events the workflow continues as new, so a years-long campaign stays cheap.
const HISTORY_LIMIT = 2_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * One per campaign (`campaign-<id>`) for its whole life, started or signalled by the worker's outbox relay after
 * every committed change of the row (`campaignChanged`). PostgreSQL holds the truth: the workflow reads the
 * row's status, dates and version, and sets a durable timer for the next change the dates make (scheduled →
 * active at startsAt, → ended at endsAt). When the timer fires it asks the activity to write that status only if
 * the row is still at the version it read, so a marketer's change made meanwhile wins (the workflow then reads
 * the row again). While active it checks budget and stock every `checkIntervalMs` (alerts, top-up); once the
 * row is ended it completes.
 */
export async function campaignLifecycleWorkflow(input: CampaignLifecycleInput): Promise<LifecycleView | null> {
  if (!patched(FOLLOW_ROW_PATCH)) return legacyCampaignLifecycle(input);
  const campaignId = input.campaignId;
  const progress = { toppedUp: input.toppedUp ?? input.state?.toppedUp ?? 0 };
  const topUp = topUpWatcher(campaignId);
  let row: CampaignLifecycleRow | null = null;
  let changed = true; // the row is read first whatever started the workflow

  const view = (): LifecycleView | null => {
    if (!row) return null;
    const facts = { ...row, requested: requestedOf(row.status) };
    const timer = pendingTimer(facts);
    return {
      campaignId,
      status: row.status,
      requested: facts.requested,
      startsAt: iso(row.startsAt),
      endsAt: iso(row.endsAt),
      nextTimer: timer && { at: iso(timer.at)!, to: timer.to },
      topUp: { running: topUp.running(), generated: progress.toppedUp },
      version: row.version,
    };
  };
  setHandler(lifecycleQuery, view);
  setHandler(campaignChangedSignal, () => void (changed = true));

  for (;;) {
    if (changed) {
      changed = false;
      row = await readCampaignLifecycle(campaignId);
      if (!row) return null; // no such campaign (deleted): nothing to follow
    }
    const current: CampaignLifecycleRow = row!;
    const due = decideStatus({ ...current, requested: requestedOf(current.status) }, Date.now());
    if (due !== current.status) {
      // A timer's change, written only if the row is still at the version read; else the newer row comes back.
      row = await advanceCampaignStatus({ campaignId, status: due, version: current.version });
      if (!row) return null;
      continue;
    }
    if (current.status === 'ended') return view();
    if (current.status === 'active') await topUp.watch(progress);

    if (workflowInfo().historyLength > HISTORY_LIMIT && !topUp.running()) {
      return continueAsNew<typeof campaignLifecycleWorkflow>({
        campaignId,
        checkIntervalMs: input.checkIntervalMs,
        toppedUp: progress.toppedUp,
      });
    }
    const timer = pendingTimer({ ...current, requested: requestedOf(current.status) });
    const untilTimer = timer ? Math.max(timer.at - Date.now(), 1) : Infinity;
    const wait = Math.min(untilTimer, current.status === 'active' ? input.checkIntervalMs : Infinity);
    await condition(() => changed, wait === Infinity ? undefined : wait);
  }
}
