import { randomInt } from 'node:crypto';
import { CheckCharacter, CheckCharacterError, internals } from '../../domain/check-character';
import { CHARSETS } from '../../domain/code-alphabet';

const ALPHABETS: Record<string, string> = {
  numeric: CHARSETS.numeric,
  'numeric without look-alikes (8)': '23456789',
  'alpha without look-alikes (23)': 'ABCDEFGHJKMNPQRSTUVWXYZ',
  'alphanumeric (36)': CHARSETS.alphanumeric,
  'alphanumeric without look-alikes (31)': '23456789ABCDEFGHJKMNPQRSTUVWXYZ',
  'custom of 12': 'ABCDEFGHJKMN',
  'custom of 32': '23456789ABCDEFGHJKMNPQRSTUVWXYZ0',
};

function randomPayload(alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** Every code a single substitution away, at any position including the check character itself. */
function substitutions(code: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i++) {
    for (const c of alphabet) if (c !== code[i]) out.push(code.slice(0, i) + c + code.slice(i + 1));
  }
  return out;
}

function adjacentSwaps(code: string): Array<{ swapped: string; pair: [string, string] }> {
  const out: Array<{ swapped: string; pair: [string, string] }> = [];
  for (let i = 0; i + 1 < code.length; i++) {
    if (code[i] === code[i + 1]) continue;
    out.push({ swapped: code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2), pair: [code[i], code[i + 1]] });
  }
  return out;
}

describe.each(Object.entries(ALPHABETS))('check characters over %s', (_name, alphabet) => {
  const payloads = Array.from({ length: 200 }, () => randomPayload(alphabet, 1 + randomInt(12)));

  it('damm: a correct code verifies; every single typo and every adjacent swap is caught', () => {
    const damm = new CheckCharacter('damm', alphabet);
    const missed: string[] = [];
    for (const payload of payloads) {
      const code = payload + damm.compute(payload);
      if (!damm.verify(code)) missed.push(`valid ${code} refused`);
      for (const typo of substitutions(code, alphabet)) if (damm.verify(typo)) missed.push(`typo ${code}->${typo}`);
      for (const { swapped } of adjacentSwaps(code)) if (damm.verify(swapped)) missed.push(`swap ${code}->${swapped}`);
    }
    expect(missed).toEqual([]);
  });

  it('luhn: every single typo is caught; swaps are missed only for the first/last pair of an even alphabet', () => {
    const luhn = new CheckCharacter('luhn', alphabet);
    const first = alphabet[0];
    const last = alphabet[alphabet.length - 1];
    const wrong: string[] = [];
    for (const payload of payloads) {
      const code = payload + luhn.compute(payload);
      if (!luhn.verify(code)) wrong.push(`valid ${code} refused`);
      for (const typo of substitutions(code, alphabet)) if (luhn.verify(typo)) wrong.push(`typo ${code}->${typo}`);
      for (const { swapped, pair } of adjacentSwaps(code)) {
        const isKnownBlindSpot = alphabet.length % 2 === 0 && pair.includes(first) && pair.includes(last);
        if (luhn.verify(swapped) !== isKnownBlindSpot) wrong.push(`swap ${code}->${swapped}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses characters outside the alphabet', () => {
    const damm = new CheckCharacter('damm', alphabet);
    expect(damm.verify('!' + alphabet[0])).toBe(false);
    expect(() => damm.compute('!')).toThrow(CheckCharacterError);
  });
});

describe('Damm quasigroups', () => {
  const unsupported = new Set([2, 6, 14, 18, 22, 26, 30, 34]);

  it.each(Array.from({ length: 35 }, (_, i) => i + 2))('order %i is a totally anti-symmetric quasigroup or is refused', (n) => {
    const t = internals.quasigroupTable(n);
    if (unsupported.has(n)) {
      expect(t).toBeNull();
      expect(() => new CheckCharacter('damm', CHARSETS.alphanumeric.slice(0, n))).toThrow(CheckCharacterError);
      return;
    }
    expect(t).not.toBeNull();
    const table = t!;
    for (let x = 0; x < n; x++) {
      expect(new Set(table[x]).size).toBe(n); // rows are permutations
      expect(new Set(table.map((row) => row[x])).size).toBe(n); // columns are permutations
    }
    let violations = 0; // (c∘x)∘y = (c∘y)∘x with x ≠ y would let a swap of x and y pass
    for (let c = 0; c < n; c++) {
      for (let x = 0; x < n; x++) {
        for (let y = 0; y < n; y++) if (x !== y && table[table[c][x]][y] === table[table[c][y]][x]) violations++;
      }
    }
    expect(violations).toBe(0);
  });
});
