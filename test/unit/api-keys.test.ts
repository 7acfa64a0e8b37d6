import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ApiKeys } from '../../api/auth';

const hex = (key: string) => createHash('sha256').update(key).digest('hex');

describe('API keys are held as hashes', () => {
  const keys = new ApiKeys(`marketer:plain-key-0001, operator:sha256:${hex('hashed-key-0002')}`);

  test.each([
    ['plain-key-0001', 'marketer'],
    ['hashed-key-0002', 'operator'],
    ['plain-key-0002', undefined],
    [`sha256:${hex('hashed-key-0002')}`, undefined], // the hash is not itself a key
    ['', undefined],
  ])('%j → %s', (presented, role) => {
    expect(keys.find(presented)?.role).toBe(role);
  });

  test('the id is the role and a short hash, the same whichever way the key was given', () => {
    expect(keys.find('plain-key-0001')!.id).toBe(`marketer:${hex('plain-key-0001').slice(0, 12)}`);
    expect(new ApiKeys(`marketer:sha256:${hex('plain-key-0001')}`).find('plain-key-0001')!.id).toBe(keys.find('plain-key-0001')!.id);
  });

  test('nothing held reveals a key', () => {
    const held = inspect(keys, { depth: 10, showHidden: true });
    expect(held).not.toContain('plain-key-0001');
    expect(held).not.toContain('hashed-key-0002');
  });

  test.each([
    'marketer:short',
    'nobody:long-enough-key',
    ':long-enough-key',
    'marketer:sha256:abc',
    `marketer:sha256:${hex('x').toUpperCase()}`,
    '',
  ])('%j is refused at start-up', (spec) => {
    expect(() => new ApiKeys(spec)).toThrow();
  });
});
