import {
  APPLICATION_RESTARTS,
  OWNED_SERVICE_RESTARTS,
  failuresAfterCrash,
  restartDelay,
  type RestartPolicy,
} from '../../runtime/restart-policy';

const policy: RestartPolicy = { tries: 3, firstDelayMs: 500, maxDelayMs: 1500, stableAfterMs: 60_000 };

describe('restartDelay', () => {
  it.each([
    [1, 500],
    [2, 1000],
    [3, 1500], // capped
    [4, null], // three restarts in a row failed: give up
  ])('after failure %i in a row waits %p', (failures, delay) => {
    expect(restartDelay(policy, failures)).toBe(delay);
  });

  it('gives up on PostgreSQL and Temporal after five restarts in a row, about 15 s of tries', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => restartDelay(OWNED_SERVICE_RESTARTS, n));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, null]);
  });

  it('never gives up on the worker and the API, backing off to 30 s', () => {
    expect([1, 2, 5, 6, 1000].map((n) => restartDelay(APPLICATION_RESTARTS, n))).toEqual([1000, 2000, 16_000, 30_000, 30_000]);
  });
});

describe('failuresAfterCrash', () => {
  it.each([
    [0, 100, 1], // first crash
    [2, 5_000, 3], // died soon after a restart: the loop goes on
    [4, 60_000, 1], // ran a minute: a fresh count
    [4, 3_600_000, 1],
  ])('with %i failures so far and a run of %i ms counts %i', (so, ran, expected) => {
    expect(failuresAfterCrash(policy, so, ran)).toBe(expected);
  });
});
