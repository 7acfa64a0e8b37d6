/**
 * How busy this process's answer path is, readable from a worker thread without a message: POST /v1/events
 * requests in flight now ([0]) and started since the process began ([1], wraps harmlessly). The what-if replay's
 * thread reads it to give the CPU back while events are being answered (services/background-pacer.ts).
 */
export const answerPathLoad = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

const IN_FLIGHT = 0;
const STARTED = 1;

/** Runs one answer-path request, counted while it runs. */
export async function onAnswerPath<T>(work: () => Promise<T>): Promise<T> {
  Atomics.add(answerPathLoad, IN_FLIGHT, 1);
  Atomics.add(answerPathLoad, STARTED, 1);
  try {
    return await work();
  } finally {
    Atomics.sub(answerPathLoad, IN_FLIGHT, 1);
  }
}

/** A reader for the other side: true when a request is in flight or one started since the previous call. */
export function answerPathWatcher(load: Int32Array): () => boolean {
  let seen = Atomics.load(load, STARTED);
  return () => {
    const started = Atomics.load(load, STARTED);
    const busy = started !== seen || Atomics.load(load, IN_FLIGHT) > 0;
    seen = started;
    return busy;
  };
}
