import { requestLogLevel, SLOW_MS } from '../../api/request-log';

describe('requestLogLevel', () => {
  it.each([
    [200, 5, false, 'debug'],
    [201, 5, false, 'debug'],
    [304, 5, false, 'debug'],
    [200, 5, true, 'info'],
    [400, 5, false, 'info'],
    [429, 5, false, 'info'],
    [503, 5, false, 'info'],
    [200, SLOW_MS, false, 'warn'],
    [500, SLOW_MS + 1, false, 'warn'],
  ] as const)('status %i after %i ms (aborted %s) logs at %s', (status, ms, aborted, level) => {
    expect(requestLogLevel(status, ms, aborted)).toBe(level);
  });
});
