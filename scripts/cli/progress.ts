import { SingleBar } from 'cli-progress';

export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 2000;

/**
 * Progress on stderr, so stdout stays clean for piping. A bar only on a terminal: in a log file or CI the
 * redraws would be noise, so there a plain line is printed at most every 2 s instead.
 * Without a total (a streamed download) only the count is shown.
 */
export function startProgress(label: string, total?: number, unit = ''): Progress {
  const suffix = unit ? ` ${unit}` : '';
  if (process.stderr.isTTY) {
    const format =
      total === undefined ? `${label} {value}${suffix}` : `${label} [{bar}] {percentage}% | {value}/{total}${suffix} | ETA {eta_formatted}`;
    const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 20 });
    bar.start(total ?? 0, 0);
    return {
      update(value, newTotal) {
        if (newTotal !== undefined && newTotal !== bar.getTotal()) bar.setTotal(newTotal);
        bar.update(value);
      },
      stop: () => bar.stop(),
    };
  }
  let lastAt = 0;
  let lastLine = '';
  let line = '';
  const print = () => {
    if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
  };
  let current = total;
  return {
    update(value, newTotal) {
      current = newTotal ?? current;
      line = `${label} ${value}${current === undefined ? '' : `/${current}`}${suffix}`;
      if (Date.now() - lastAt >= PLAIN_INTERVAL_MS) {
        lastAt = Date.now();
        print();
      }
    },
    stop() {
      // The final count, so the log does not end on a stale one.
      print();
    },
  };
}
