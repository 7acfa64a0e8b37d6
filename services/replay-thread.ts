import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runReplay, type ReplayInput } from './replay-run';

// The lowest CPU priority, for this thread alone (on Linux setpriority(2) with pid 0 applies to the calling thread):
// a replay is an analysis that may wait, events are not. On two busy cores a replay at normal priority took one
// core for its whole run and doubled the events' p99 even off the event loop (README "Redemption figures").
try {
  os.setPriority(0, os.constants.priority.PRIORITY_LOW);
} catch {
  // not permitted here: the replay runs at normal priority, still off the event loop
}

/** Worker-thread entry (services/replay-pool.ts starts it): runs one replay per message, answers by its id. */
parentPort!.on('message', (task: { id: number; input: ReplayInput }) => {
  runReplay(task.input).then(
    (result) => parentPort!.postMessage({ id: task.id, result }),
    (error: Error) => parentPort!.postMessage({ id: task.id, error: { message: error.message, stack: error.stack } }),
  );
});
