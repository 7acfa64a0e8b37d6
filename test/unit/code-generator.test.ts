import { randomBytes } from 'node:crypto';
import { SymbolSampler, CodeGenerator } from '../../domain/code-generator';
import { resolveCodeSpec } from '../../domain/code-spec';

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

/** Wilson–Hilferty approximation of the chi-square quantile for `df` degrees of freedom at normal quantile z. */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

const DRAWS = 400_000;
const Z_999999 = 4.753; // one false alarm in a million runs

describe('SymbolSampler', () => {
  it.each([10, 26, 31, 36])('draws each of %i symbols uniformly (chi-square)', (size) => {
    const sampler = new SymbolSampler(size);
    const counts = new Array(size).fill(0);
    for (let i = 0; i < DRAWS; i++) counts[sampler.next()]++;
    expect(chiSquare(counts)).toBeLessThan(chiSquareQuantile(size - 1, Z_999999));
  });

  it('the same test does detect the modulo bias it guards against', () => {
    // Plain `byte % 36` favours the first 256 mod 36 = 4 symbols: the test above must be able to see that.
    const size = 36;
    const counts = new Array(size).fill(0);
    const bytes = randomBytes(DRAWS);
    for (const b of bytes) counts[b % size]++;
    expect(chiSquare(counts)).toBeGreaterThan(chiSquareQuantile(size - 1, Z_999999));
  });

  it('refuses alphabets it cannot sample', () => {
    expect(() => new SymbolSampler(1)).toThrow(RangeError);
    expect(() => new SymbolSampler(257)).toThrow(RangeError);
  });
});

describe('CodeGenerator', () => {
  it('makes codes of the spec: prefix, random part from the alphabet, check character, suffix', () => {
    const spec = resolveCodeSpec({ length: 8, charset: 'numeric', prefix: 'sum-', suffix: 'x', checkCharacter: 'damm' });
    const generator = new CodeGenerator(spec);
    for (let i = 0; i < 1000; i++) {
      expect(generator.next()).toMatch(/^SUM[0-9]{9}X$/);
    }
  });

  it('returns exactly the number of distinct codes asked for', () => {
    const spec = resolveCodeSpec({ length: 3, charset: 'numeric' });
    expect(new CodeGenerator(spec).distinct(900).size).toBe(900);
  });
});
