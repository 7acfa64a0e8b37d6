import { RuleSetError, validateConditions } from '../../rules/validate-rules';

const condition = { fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' };

describe('validateConditions refuses keys a condition does not have', () => {
  it.each([['extra'], [''], [' ']])('refuses the key %j, naming it', (key) => {
    const conditions = { all: [{ ...condition, [key]: [] }] };
    expect(() => validateConditions(conditions, 'rules.0.conditions')).toThrow(RuleSetError);
    expect(() => validateConditions(conditions, 'rules.0.conditions')).toThrow(`unknown key "${key}"`);
  });

  it('accepts a condition with only its own keys', () => {
    expect(() => validateConditions({ all: [condition] }, 'rules.0.conditions')).not.toThrow();
  });
});
