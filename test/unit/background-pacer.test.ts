import { BackgroundPacer } from '../../services/background-pacer';
import { answerPathLoad, answerPathWatcher, onAnswerPath } from '../../services/answer-path-load';

/** Runs `units` units of `unitMs` of work through a pacer on a fake clock; what it slept and the elapsed time. */
async function pacedRun(units: number, unitMs: number, busy: (t: number) => boolean, share?: number) {
  let t = 0;
  const sleeps: number[] = [];
  const pacer = new BackgroundPacer(
    {
      busy: () => busy(t),
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    },
    share,
  );
  for (let i = 0; i < units; i++) {
    t += unitMs;
    const pause = pacer.step();
    if (pause) await pause;
  }
  return { sleeps, elapsed: t, worked: units * unitMs };
}

describe('BackgroundPacer', () => {
  it.each([
    { share: 0.1, units: 1000, unitMs: 0.5 },
    { share: 0.25, units: 400, unitMs: 0.3 },
    { share: 0.5, units: 100, unitMs: 3 },
  ])('takes at most $share of a core while the answer path is busy', async ({ share, units, unitMs }) => {
    const run = await pacedRun(units, unitMs, () => true, share);
    expect(run.worked / run.elapsed).toBeLessThanOrEqual(share + 0.01);
    expect(run.worked / run.elapsed).toBeGreaterThan(share * 0.8);
  });

  it('runs flat out when nothing is being answered', async () => {
    const run = await pacedRun(1000, 0.5, () => false);
    expect(run.sleeps).toEqual([]);
    expect(run.elapsed).toBe(500);
  });

  it('pauses only in the slices where events were answered', async () => {
    const run = await pacedRun(1000, 0.5, (t) => t < 100, 0.1);
    expect(run.sleeps.length).toBeGreaterThan(0);
    expect(run.elapsed).toBeLessThan(500 + 100 * 9 + 50);
  });
});

describe('answerPathWatcher', () => {
  it('sees a request in flight, one that came and went, and then quiet', () => {
    // The module's own counter is process-wide; this test drives a private one the same way.
    const load = new Int32Array(new SharedArrayBuffer(8));
    const busy = answerPathWatcher(load);
    expect(busy()).toBe(false);
    Atomics.add(load, 0, 1);
    Atomics.add(load, 1, 1);
    expect(busy()).toBe(true);
    expect(busy()).toBe(true); // still in flight
    Atomics.sub(load, 0, 1);
    expect(busy()).toBe(false);
    Atomics.add(load, 1, 1); // started and finished between two checks
    expect(busy()).toBe(true);
    expect(busy()).toBe(false);
  });

  it('onAnswerPath counts a request while it runs, errors included', async () => {
    const before = Atomics.load(answerPathLoad, 1);
    await expect(
      onAnswerPath(async () => {
        expect(Atomics.load(answerPathLoad, 0)).toBe(1);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(Atomics.load(answerPathLoad, 0)).toBe(0);
    expect(Atomics.load(answerPathLoad, 1)).toBe(before + 1);
  });
});
