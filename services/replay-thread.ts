import { parentPort } from 'node:worker_threads';
import { runReplay, type ReplayInput } from './replay-run';

/** Worker-thread entry (services/replay-pool.ts starts it): runs one replay per message, answers by its id. */
parentPort!.on('message', (task: { id: number; input: ReplayInput }) => {
  runReplay(task.input).then(
    (result) => parentPort!.postMessage({ id: task.id, result }),
    (error: Error) => parentPort!.postMessage({ id: task.id, error: { message: error.message, stack: error.stack } }),
  );
});
