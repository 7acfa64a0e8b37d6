import { CliError } from './http';
import type { Progress } from './progress';

export interface Job {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  error?: string | null;
}

const POLL_INTERVAL_MS = 500;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Polls a job until it finishes, feeding the progress display. Ctrl-C only stops watching: the workflow runs on
 * in Temporal, so the operator is told how to pick it up again rather than left thinking it was aborted.
 */
export async function watchJob<T extends Job>(
  kind: string,
  id: string,
  fetchJob: () => Promise<T>,
  progress: Progress,
  show: (job: T) => void,
): Promise<T> {
  const onInterrupt = () => {
    progress.stop();
    process.stderr.write(`\nstopped watching; the ${kind} keeps running. Follow it with: loyalty-codes job ${id}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    for (;;) {
      const job = await fetchJob();
      show(job);
      if (FINISHED.has(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    progress.stop();
  }
}

/** A job that did not complete is an error for the shell (exit status 1), with the reason the API recorded. */
export function requireCompleted(kind: string, job: Job): void {
  if (job.status === 'failed') throw new CliError(`${kind} ${job.id} failed: ${job.error ?? 'no reason recorded'}`);
  if (job.status === 'cancelled') throw new CliError(`${kind} ${job.id} was cancelled${job.error ? `: ${job.error}` : ''}`);
}
