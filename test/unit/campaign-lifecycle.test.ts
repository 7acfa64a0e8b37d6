import { decideStatus, nextTimer, pendingTimer, requestedOf, type LifecycleState } from '../../domain/campaign-lifecycle';

const T = 1_000_000;
const state = (over: Partial<LifecycleState>): LifecycleState => ({
  campaignId: 'c',
  requested: 'active',
  startsAt: null,
  endsAt: null,
  status: 'draft',
  toppedUp: 0,
  ...over,
});

describe('decideStatus', () => {
  it.each<[string, Partial<LifecycleState>, number, string]>([
    ['draft stays draft, whatever the dates', { requested: 'draft', startsAt: T - 10, endsAt: T + 10 }, T, 'draft'],
    ['active without dates', {}, T, 'active'],
    ['before startsAt: scheduled', { startsAt: T + 1 }, T, 'scheduled'],
    ['at startsAt: active', { startsAt: T }, T, 'active'],
    ['a millisecond before endsAt: active', { endsAt: T + 1 }, T, 'active'],
    ['at endsAt: ended', { endsAt: T }, T, 'ended'],
    ['paused before its end', { requested: 'paused', endsAt: T + 1 }, T, 'paused'],
    ['paused past its end: ended', { requested: 'paused', endsAt: T }, T, 'ended'],
    ['paused before its start: paused', { requested: 'paused', startsAt: T + 1 }, T, 'paused'],
    ['ended on request', { requested: 'ended', endsAt: T + 100 }, T, 'ended'],
    ['ended is final even if asked to run again', { requested: 'active', status: 'ended', endsAt: T + 100 }, T, 'ended'],
  ])('%s', (_what, over, now, expected) => {
    expect(decideStatus(state(over), now)).toBe(expected);
  });
});

describe('nextTimer', () => {
  it.each<[string, Partial<LifecycleState>, ReturnType<typeof nextTimer>]>([
    ['scheduled: at startsAt, to active', { startsAt: T + 5, endsAt: T + 9 }, { at: T + 5, to: 'active' }],
    ['active with an end: at endsAt, to ended', { endsAt: T + 9 }, { at: T + 9, to: 'ended' }],
    ['paused with an end: still ends then', { requested: 'paused', endsAt: T + 9 }, { at: T + 9, to: 'ended' }],
    ['paused before its start: resumes into scheduled later, no timer to start', { requested: 'paused', startsAt: T + 5 }, null],
    ['active without an end: none', {}, null],
    ['draft: none', { requested: 'draft', startsAt: T + 5 }, null],
  ])('%s', (_what, over, expected) => {
    expect(nextTimer(state(over), T)).toEqual(expected);
  });
});

describe('pendingTimer (what a stored status waits for, whatever the time)', () => {
  it.each<[string, Partial<LifecycleState>, ReturnType<typeof pendingTimer>]>([
    ['scheduled, its start passed: still the start', { status: 'scheduled', startsAt: T - 5, endsAt: T + 5 }, { at: T - 5, to: 'active' }],
    [
      'scheduled, start and end both passed: still the start (it becomes active, then ends)',
      { status: 'scheduled', startsAt: T - 5, endsAt: T - 1 },
      { at: T - 5, to: 'active' },
    ],
    ['active: the end', { status: 'active', endsAt: T + 5 }, { at: T + 5, to: 'ended' }],
    ['paused: the end', { status: 'paused', requested: 'paused', endsAt: T + 5 }, { at: T + 5, to: 'ended' }],
    ['active without an end: none', { status: 'active' }, null],
    ['draft: none', { status: 'draft', requested: 'draft', startsAt: T + 5 }, null],
    ['ended: none', { status: 'ended', requested: 'ended', endsAt: T - 5 }, null],
  ])('%s', (_what, over, expected) => {
    expect(pendingTimer(state(over))).toEqual(expected);
  });
});

it('reads the request back from a stored status', () => {
  expect(['draft', 'scheduled', 'active', 'paused', 'ended'].map((s) => requestedOf(s as LifecycleState['status']))).toEqual([
    'draft',
    'active',
    'active',
    'paused',
    'ended',
  ]);
});
