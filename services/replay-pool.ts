import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatabaseLimits } from '../db/database';
import type { ReplayResult, ReplayTask } from './replay-run';
import { answerPathLoad } from './answer-path-load';

/** Where the thread reads the events it re-decides (its own small pool: the rows never cross the event loop). */
export interface ReplayDatabase {
  url: string;
  limits: DatabaseLimits;
}

/**
 * The what-if replay runs on a worker thread, not on the API's event loop: re-deciding 10,000 events with a large
 * rule set takes the better part of a second of CPU, and on the event loop every POST /v1/events answered meanwhile
 * would wait behind it (README "Redemption figures"). One thread per database (one in the API; a test process may
 * run several systems), started on the first replay and kept (unref'd: it never holds the process open); a thread
 * that dies fails its pending replays and is replaced on the next one.
 */
const threads = new Map<string, Worker>();
let nextId = 0;
const pending = new Map<number, { thread: Worker; resolve(r: ReplayResult): void; reject(e: Error): void }>();

function thread(database: ReplayDatabase): Worker {
  const running = threads.get(database.url);
  if (running) return running;
  // Under tsx or ts-jest this file is TypeScript, and so is the thread's entry: the thread loads it through tsx's
  // require hook (its --import loader does not reach a worker's entry).
  const entry = path.join(__dirname, `replay-thread${path.extname(__filename)}`);
  // The answer path's load counters are shared memory: the thread reads them live (services/background-pacer.ts).
  const workerData = { answerPathLoad, database };
  const started = entry.endsWith('.ts')
    ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData })
    : new Worker(entry, { workerData });
  started.unref();
  started.on('message', (m: { id: number; result?: ReplayResult; error?: { message: string; stack?: string; code?: string } }) => {
    const task = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) task?.reject(Object.assign(new Error(m.error.message), { stack: m.error.stack, code: m.error.code }));
    else task?.resolve(m.result!);
  });
  const fail = (error: Error) => {
    if (threads.get(database.url) === started) threads.delete(database.url);
    for (const [id, task] of pending) {
      if (task.thread !== started) continue;
      pending.delete(id);
      task.reject(error);
    }
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the replay thread exited (${code})`)));
  threads.set(database.url, started);
  return started;
}

/**
 * Starts the thread ahead of the first replay (the API calls it at start): loading its modules takes a core for a
 * moment, better before traffic than beside the events answered while the first replay runs.
 */
export function startReplayThread(database: ReplayDatabase): void {
  thread(database);
}

/** Runs the replay on the thread; resolves with its result. */
export function replayOffLoop(database: ReplayDatabase, task: ReplayTask): Promise<ReplayResult> {
  const id = nextId++;
  const running = thread(database);
  return new Promise((resolve, reject) => {
    pending.set(id, { thread: running, resolve, reject });
    running.postMessage({ id, task });
  });
}

/** Stops the threads (tests and shutdown); the next replay starts another. */
export async function stopReplayThread(): Promise<void> {
  const running = [...threads.values()];
  threads.clear();
  await Promise.all(running.map((t) => t.terminate()));
}
