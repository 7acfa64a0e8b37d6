import { closingFor, type WorkflowEnd } from '../../domain/job-reconciliation';

describe('closing a running job after its workflow ended', () => {
  it.each<[WorkflowEnd, string | undefined, ReturnType<typeof closingFor>]>([
    ['RUNNING', undefined, null],
    ['CONTINUED_AS_NEW', undefined, null],
    ['UNKNOWN', undefined, null],
    ['COMPLETED', undefined, { status: 'completed', error: null }],
    ['FAILED', 'chunk 5 failed', { status: 'failed', error: 'the workflow failed: chunk 5 failed' }],
    ['CANCELLED', undefined, { status: 'failed', error: 'the workflow was cancelled' }],
    ['TERMINATED', 'operator gave up', { status: 'failed', error: 'the workflow was terminated: operator gave up' }],
    ['TERMINATED', undefined, { status: 'failed', error: 'the workflow was terminated' }],
    ['TIMED_OUT', undefined, { status: 'failed', error: 'the workflow timed out' }],
    ['NOT_FOUND', undefined, { status: 'failed', error: 'the workflow no longer exists in Temporal' }],
  ])('%s (%s)', (end, detail, expected) => {
    expect(closingFor(end, detail)).toEqual(expected);
  });
});
