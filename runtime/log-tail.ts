import fs from 'node:fs';

/** Bytes in a log file now (0 when it doesn't exist yet): where a fresh start's own lines begin. */
export function logSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last `n` lines a service wrote to its log since `offset` (its own start, not an earlier run's). */
export function lastLines(file: string, offset = 0, n = 5): string {
  try {
    return fs.readFileSync(file).subarray(offset).toString('utf8').trim().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
