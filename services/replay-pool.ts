import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReplayInput, ReplayResult } from './replay-run';

/**
 * The what-if replay runs on a worker thread, not on the API's event loop: re-deciding 10,000 events with a large
 * rule set takes the better part of a second of CPU, and on the event loop every POST /v1/events answered meanwhile
 * would wait behind it (README "Redemption figures"). One thread, started on the first replay and kept (unref'd:
 * it never holds the process open); a thread that dies fails its pending replays and is replaced on the next one.
 */
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve(r: ReplayResult): void; reject(e: Error): void }>();

function thread(): Worker {
  if (worker) return worker;
  // Under tsx or ts-jest this file is TypeScript, and so is the thread's entry: the thread loads it through tsx's
  // require hook (its --import loader does not reach a worker's entry).
  const entry = path.join(__dirname, `replay-thread${path.extname(__filename)}`);
  const started = entry.endsWith('.ts')
    ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true })
    : new Worker(entry);
  started.unref();
  started.on('message', (m: { id: number; result?: ReplayResult; error?: { message: string; stack?: string } }) => {
    const task = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) task?.reject(Object.assign(new Error(m.error.message), { stack: m.error.stack }));
    else task?.resolve(m.result!);
  });
  const fail = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const task of pending.values()) task.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the replay thread exited (${code})`)));
  return (worker = started);
}

/** Runs the replay on the thread; resolves with its result. */
export function replayOffLoop(input: ReplayInput): Promise<ReplayResult> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread().postMessage({ id, input });
  });
}

/** Stops the thread (tests and shutdown); the next replay starts another. */
export async function stopReplayThread(): Promise<void> {
  const running = worker;
  worker = undefined;
  await running?.terminate();
}
