/**
 * How a job row still marked `running` follows its workflow's real end. The workflow's own bookkeeping closes
 * the row when it completes, fails or is cancelled; a terminate or a timeout runs no workflow code, so the
 * reconciler (worker/job-reconciler.ts) asks Temporal and closes the row with the cause.
 */
export type WorkflowEnd =
  'RUNNING' | 'CONTINUED_AS_NEW' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT' | 'NOT_FOUND' | 'UNKNOWN';

export type JobClosing = { status: 'completed' | 'failed'; error: string | null } | null;

/** null: leave the row alone (the workflow is still going, or Temporal said nothing we can act on). */
export function closingFor(end: WorkflowEnd, detail?: string): JobClosing {
  const because = (what: string) => (detail ? `${what}: ${detail}` : what);
  switch (end) {
    case 'COMPLETED':
      return { status: 'completed', error: null };
    case 'FAILED':
      return { status: 'failed', error: because('the workflow failed') };
    case 'CANCELLED':
      return { status: 'failed', error: because('the workflow was cancelled') };
    case 'TERMINATED':
      return { status: 'failed', error: because('the workflow was terminated') };
    case 'TIMED_OUT':
      return { status: 'failed', error: 'the workflow timed out' };
    case 'NOT_FOUND':
      return { status: 'failed', error: 'the workflow no longer exists in Temporal' };
    default:
      return null;
  }
}
