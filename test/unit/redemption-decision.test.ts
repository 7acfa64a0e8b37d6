import {
  budgetCost,
  decideRedemption,
  isLockedOut,
  keyAttemptsNeeded,
  pointsOf,
  rejectionBeforeRules,
  REDEMPTION_REJECTION_REASONS,
  type DecisionInput,
  type Effect,
} from '../../domain/redemption-decision';

type Rule = { name: string; effects: Effect[] };
const rule: Rule = {
  name: 'gold',
  effects: [
    { type: 'add_points', points: 30 },
    { type: 'issue_coupon', rewardId: 'r' },
    { type: 'add_points', points: 20 },
  ],
};
const NOW = new Date('2026-06-15T12:00:00Z');

/** An event every check lets through; each row of the table below breaks one thing (and every later one). */
function passing(): DecisionInput<Rule> {
  return {
    eventName: 'code_entered',
    code: { code: 'ABC123', status: 'unused', campaignId: 'summer', expiresAt: new Date('2026-06-15T12:00:01Z') },
    campaign: {
      id: 'summer',
      status: 'active',
      triggerEvent: 'code_entered',
      startsAt: new Date('2026-06-01T00:00:00Z'),
      endsAt: new Date('2026-07-01T00:00:00Z'),
      visibility: { type: 'tiers', tiers: ['gold'] },
      frequency: { count: 2, period: 'month' },
      budgetKind: 'points',
      budgetCap: 1000,
      budgetUsed: 950,
    },
    member: { tier: 'gold', segments: [] },
    memberId: 'm-1',
    now: NOW,
    counts: { memberFailures: 4, keyFailures: 4, keyAttempts: 4, redemptionsInPeriod: 1 },
    lockout: { maxFailures: 5, windowSeconds: 900, keyMinFailures: 5, keyFailurePercent: 50 },
    verdict: { passed: true, rule, index: 0 },
  };
}

type Breaker = (i: DecisionInput<Rule>) => void;
const failedCondition = { rule: 'gold', fact: 'member', path: '$.tier', operator: 'in', value: ['gold'], factValue: 'silver' };

// In the order the decision checks them: applying breaker n and every breaker after it must answer reason n.
const BREAKERS: Array<[string, Breaker]> = [
  ['too_many_attempts', (i) => void (i.counts.memberFailures = 5)],
  ['mistyped_code', (i) => void ((i.code = null), (i.mistyped = true))],
  ['unknown_code', (i) => void (i.code = null)],
  ['wrong_campaign', (i) => void (i.code = { ...i.code!, campaignId: 'winter' })],
  ['code_cancelled', (i) => void (i.code = { ...i.code!, status: 'cancelled' })],
  ['code_assigned_to_other', (i) => void (i.code = { ...i.code!, status: 'assigned', memberId: 'm-2' })],
  ['code_used', () => undefined], // the status is set by the row below
  ['code_expired', (i) => void (i.code = { ...i.code!, expiresAt: NOW })],
  ['campaign_inactive', (i) => void (i.campaign!.status = 'inactive')],
  ['not_started', (i) => void (i.campaign!.startsAt = new Date('2026-06-15T12:00:01Z'))],
  ['ended', (i) => void (i.campaign!.endsAt = NOW)],
  ['member_unknown', (i) => void (i.member = null)],
  ['not_visible', (i) => void (i.member = { tier: 'silver', segments: ['vip'] })],
  ['conditions_not_met', (i) => void (i.verdict = { passed: false, failed: [failedCondition] })],
  ['frequency_limit', (i) => void (i.counts.redemptionsInPeriod = 2)],
  ['budget_exhausted', (i) => void (i.campaign!.budgetUsed = 951)],
];

describe('rejection reasons, each one and their order', () => {
  it('covers every reason the decision can give', () => {
    expect(BREAKERS.map(([reason]) => reason).sort()).toEqual([...REDEMPTION_REJECTION_REASONS].sort());
  });

  it.each(BREAKERS.map(([reason], n) => [reason, n] as const))('%s wins over every reason checked after it', (reason, n) => {
    const input = passing();
    // Break this reason's condition and every later one: the earliest broken one must be the answer.
    for (const [, breaker] of BREAKERS.slice(n).reverse()) breaker(input);
    if (reason === 'code_used') input.code = { ...input.code!, status: 'redeemed' };
    const decision = decideRedemption(input);
    expect(decision).toMatchObject({ outcome: 'rejected', reason });
  });

  it.each(BREAKERS.map(([reason], n) => [reason, n] as const))('%s alone is answered when only it is broken', (reason, n) => {
    const input = passing();
    BREAKERS[n][1](input);
    if (reason === 'code_used') input.code = { ...input.code!, status: 'awarded' };
    expect(decideRedemption(input)).toMatchObject({ outcome: 'rejected', reason });
  });
});

describe('details', () => {
  it.each([
    ['unknown_code', true],
    ['wrong_campaign', true],
    ['code_cancelled', true],
    ['code_assigned_to_other', true],
    ['code_used', true],
    ['campaign_inactive', false],
    ['member_unknown', false],
    ['conditions_not_met', false],
    ['budget_exhausted', false],
    ['too_many_attempts', false],
    ['code_expired', false],
  ] as const)('%s counts toward the lockout: %s', (reason, counts) => {
    const input = passing();
    const n = BREAKERS.findIndex(([r]) => r === reason);
    BREAKERS[n][1](input);
    if (reason === 'code_used') input.code = { ...input.code!, status: 'redeemed' };
    expect(decideRedemption(input)).toMatchObject({ reason, guessFailure: counts });
  });

  it('a redemption carries the winning rule, its effects, its points and what it costs the budget', () => {
    expect(decideRedemption(passing())).toEqual({
      outcome: 'redeemed',
      rule,
      ruleIndex: 0,
      effects: rule.effects,
      points: 50,
      budgetCost: 50,
    });
  });

  it('a budget filled exactly to its cap still redeems; one over does not', () => {
    const exact = passing();
    exact.campaign!.budgetUsed = 950;
    expect(decideRedemption(exact).outcome).toBe('redeemed');
    const redemptions = passing();
    Object.assign(redemptions.campaign!, { budgetKind: 'redemptions', budgetCap: 3, budgetUsed: 3 });
    expect(decideRedemption(redemptions)).toMatchObject({ reason: 'budget_exhausted' });
  });

  it('conditions_not_met carries the failed conditions', () => {
    const input = passing();
    input.verdict = { passed: false, failed: [failedCondition] };
    expect(decideRedemption(input)).toEqual({
      outcome: 'rejected',
      reason: 'conditions_not_met',
      guessFailure: false,
      failedConditions: [failedCondition],
    });
  });

  it('visibility by segments, by tiers, for everyone', () => {
    const input = passing();
    input.campaign!.visibility = { type: 'segments', segments: ['vip', 'staff'] };
    input.member = { tier: null, segments: ['staff'] };
    expect(rejectionBeforeRules(input)).toBeNull();
    input.member = { tier: 'gold', segments: [] };
    expect(rejectionBeforeRules(input)).toMatchObject({ reason: 'not_visible' });
    input.campaign!.visibility = { type: 'everyone' };
    expect(rejectionBeforeRules(input)).toBeNull();
  });

  it('the code checks are skipped when no code is given (the simulator)', () => {
    const input = passing();
    input.code = undefined;
    expect(decideRedemption(input).outcome).toBe('redeemed');
    input.campaign!.triggerEvent = 'other_event';
    expect(decideRedemption(input)).toMatchObject({ reason: 'wrong_campaign' });
  });

  it.each([
    ['assigned to the member of the event', 'assigned', 'm-1', 'redeemed'],
    ['assigned to another member', 'assigned', 'm-2', 'code_assigned_to_other'],
    ['assigned to nobody (a broken row)', 'assigned', null, 'code_assigned_to_other'],
    ['unused, with a member left from a rollback', 'unused', 'm-2', 'redeemed'],
    ['reserved', 'reserved', null, 'code_used'],
  ] as const)('a code %s: %s', (_what, status, memberId, expected) => {
    const input = passing();
    input.code = { ...input.code!, status, memberId };
    const decision = decideRedemption(input);
    expect(decision.outcome === 'redeemed' ? 'redeemed' : decision.reason).toBe(expected);
  });

  it('no frequency or budget: no limit', () => {
    const input = passing();
    Object.assign(input.campaign!, { frequency: null, budgetKind: null, budgetCap: null });
    input.counts.redemptionsInPeriod = 1000;
    expect(decideRedemption(input)).toMatchObject({ outcome: 'redeemed', budgetCost: 0 });
  });

  it('one budget cost for redemption and rollback', () => {
    expect(budgetCost('points', 70)).toBe(70);
    expect(budgetCost('redemptions', 70)).toBe(1);
    expect(budgetCost(null, 70)).toBe(0);
    expect(pointsOf(rule.effects)).toBe(50);
  });

  it('refuses to decide past the checks without a verdict', () => {
    const input = passing();
    delete input.verdict;
    expect(() => decideRedemption(input)).toThrow(/rules must be evaluated/);
  });
});

describe('lockout: per member by count, per API key by a floor and a share', () => {
  const policy = { maxFailures: 5, windowSeconds: 900, keyMinFailures: 100, keyFailurePercent: 50 };
  it.each([
    // memberFailures, keyFailures, keyAttempts, locked
    [4, 0, 0, false],
    [5, 0, 0, true],
    [0, 99, 99, false], // an enumeration below the floor
    [0, 100, 100, true], // every attempt failed: locked at the floor
    [0, 100, 200, true], // exactly half
    [0, 100, 201, false], // below half
    [0, 200, 10_000, false], // a busy shop with 2 % typos
    [0, 5_000, 250_000, false],
    [0, 150, 250, true],
  ] as const)('member %i, key %i of %i: locked %s', (memberFailures, keyFailures, keyAttempts, locked) => {
    expect(isLockedOut({ memberFailures, keyFailures, keyAttempts, redemptionsInPeriod: 0 }, policy)).toBe(locked);
  });

  it.each([
    [99, 0],
    [100, 201],
    [150, 301],
  ] as const)('%i key failures: the snapshot counts at most %i attempts, enough to decide', (keyFailures, needed) => {
    expect(keyAttemptsNeeded(keyFailures, policy)).toBe(needed);
    if (needed > 0) {
      expect(isLockedOut({ memberFailures: 0, keyFailures, keyAttempts: needed, redemptionsInPeriod: 0 }, policy)).toBe(false);
      expect(isLockedOut({ memberFailures: 0, keyFailures, keyAttempts: needed - 1, redemptionsInPeriod: 0 }, policy)).toBe(true);
    }
  });

  it('a mistyped flag never hides a code that exists', () => {
    const input = passing();
    input.mistyped = true;
    expect(decideRedemption(input).outcome).toBe('redeemed');
  });

  it('an expired code that was already used is code_used; an unexpired one redeems', () => {
    const used = passing();
    used.code = { ...used.code!, status: 'redeemed', expiresAt: new Date('2020-01-01T00:00:00Z') };
    expect(decideRedemption(used)).toMatchObject({ reason: 'code_used' });
    const never = passing();
    never.code = { ...never.code!, expiresAt: null };
    expect(decideRedemption(never).outcome).toBe('redeemed');
  });
});
