import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Database } from '../db/database';
import { findMembers } from '../db/members';
import { readLastCampaignEvents, type ReplayableEvent } from '../db/redemption-events';
import type { MemberProfile } from '../model/member';
import { runReplay, type ReplayTask } from './replay-run';
import { BackgroundPacer } from './background-pacer';
import { answerPathWatcher } from './answer-path-load';
import type { ReplayDatabase } from './replay-pool';

const shared = workerData as { answerPathLoad: Int32Array; database: ReplayDatabase };

// The lowest CPU priority, for this thread alone (on Linux setpriority(2) with pid 0 applies to the calling thread):
// a replay is an analysis that may wait, events are not. Priority alone is not enough (services/background-pacer.ts):
// the replay also pauses while events are answered.
try {
  os.setPriority(0, os.constants.priority.PRIORITY_LOW);
} catch {
  // not permitted here: the replay runs at normal priority, still off the event loop
}

// The thread's own pool: the rows it re-decides are parsed here, not on the API's event loop.
let db: Database | undefined;

// Rows read per step: one page's parsing is a few milliseconds, after which the pacer may pause the thread.
const PAGE = 500;

async function replay(task: ReplayTask) {
  db ??= new Database(shared.database.url, shared.database.limits);
  const pacer = new BackgroundPacer({
    busy: answerPathWatcher(shared.answerPathLoad),
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const events: ReplayableEvent[] = [];
  const members = new Map<string, MemberProfile>();
  // One snapshot for the events and their members, read a page at a time, paced like the re-deciding.
  await db.rolledBack((client) =>
    readLastCampaignEvents(client, task.campaign.id, task.limit, PAGE, async (page) => {
      events.push(...page);
      const unseen = [...new Set(page.map((e) => e.memberId))].filter((id) => !members.has(id));
      if (unseen.length > 0) for (const [id, member] of await findMembers(client, unseen)) members.set(id, member);
      await pacer.step();
    }),
  );
  return runReplay({ campaign: task.campaign, rules: task.rules, events, members }, () => pacer.step());
}

/** Worker-thread entry (services/replay-pool.ts starts it): runs one replay per message, answers by its id. */
parentPort!.on('message', ({ id, task }: { id: number; task: ReplayTask }) => {
  replay(task).then(
    (result) => parentPort!.postMessage({ id, result }),
    // The code crosses too: a database error's (57014, ECONNREFUSED...) is what makes the API answer 503, not 500.
    (error: Error & { code?: string }) =>
      parentPort!.postMessage({ id, error: { message: error.message, stack: error.stack, code: error.code } }),
  );
});
