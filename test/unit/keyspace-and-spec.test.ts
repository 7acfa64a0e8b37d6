import { checkKeyspace, combinations, keyspaceMessage } from '../../domain/keyspace';
import { resolveCodeSpec, CodeSpecError, fullLength, shapeKey } from '../../domain/code-spec';
import { normalizeCode } from '../../domain/normalize-code';

describe('keyspace', () => {
  it('counts combinations exactly, beyond the range of doubles', () => {
    expect(combinations(10, 4)).toBe(10000n);
    expect(combinations(36, 20)).toBe(36n ** 20n);
  });

  it('accepts exactly up to 1% of the combinations left', () => {
    expect(checkKeyspace(10, 4, 100, 0).ok).toBe(true); // 100 of 10,000
    expect(checkKeyspace(10, 4, 101, 0).ok).toBe(false);
    expect(checkKeyspace(10, 4, 100, 1).ok).toBe(false); // one code already taken
    expect(checkKeyspace(10, 6, 10_000, 0).ok).toBe(true);
  });

  it('says the shortest length that would work', () => {
    const verdict = checkKeyspace(10, 4, 1_000_000, 0);
    expect(verdict.ok).toBe(false);
    expect(verdict.minimumLength).toBe(8); // 10^8 * 1% = 1,000,000
    expect(keyspaceMessage(10, 4, 1_000_000, verdict)).toMatch(/at least 8/);
    expect(checkKeyspace(36, 2, 1, 1295).left).toBe(1n);
  });
});

describe('code spec', () => {
  it('resolves charsets, look-alikes and affixes into one canonical spec', () => {
    const spec = resolveCodeSpec({ length: 6, charset: 'alphanumeric', excludeLookAlikes: true, prefix: 'win-', suffix: ' q' });
    expect(spec.alphabet).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ');
    expect(spec.prefix).toBe('WIN');
    expect(spec.suffix).toBe('Q');
    expect(fullLength(spec)).toBe(10);
    expect(shapeKey(spec)).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ|6|WIN|Q');
  });

  it.each([
    [{ length: 6, charset: 'custom' as const }, 'alphabet'],
    [{ length: 6, charset: 'custom' as const, alphabet: 'AB#' }, 'alphabet'],
    [{ length: 6, charset: 'custom' as const, alphabet: 'aA' }, 'alphabet'],
    [{ length: 6, charset: 'numeric' as const, alphabet: '01' }, 'alphabet'],
    [{ length: 6, charset: 'numeric' as const, prefix: 'a$' }, 'prefix'],
    [{ length: 6, charset: 'alpha' as const, checkCharacter: 'damm' as const }, 'checkCharacter'],
    [{ length: 60, charset: 'alpha' as const, prefix: 'ABCDEF' }, 'length'],
  ])('refuses %j naming the field %s', (input, field) => {
    expect(() => resolveCodeSpec(input)).toThrow(CodeSpecError);
    try {
      resolveCodeSpec(input);
    } catch (e) {
      expect((e as CodeSpecError).field).toBe(field);
    }
  });
});

describe('normalizeCode', () => {
  it.each([
    ['abc-123', 'ABC123'],
    ['  AbC 123 ', 'ABC123'],
    ['ABC–123', 'ABC123'], // en dash
    ['ＡＢＣ１２３', 'ABC123'], // full-width
    ['a\tb\nc', 'ABC'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });

  it.each(['', '   ', '--', 'ABC;DROP', 'ÄBC', 'A'.repeat(65), 'abc\u0000'])('refuses %j', (input) => {
    expect(normalizeCode(input)).toBeNull();
  });
});
