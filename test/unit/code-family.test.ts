import { CodeGenerator } from '../../domain/code-generator';
import { familyOf, isMistyped, type CodeFamily } from '../../domain/code-family';
import { resolveCodeSpec, type CodeSpecInput } from '../../domain/code-spec';

/**
 * Over both schemes: every single-character change (within the family's alphabet) and every adjacent swap of
 * the checked part that the scheme promises to catch (domain/check-character.ts) makes a generated code
 * mistyped; the generated codes themselves and codes of other shapes are not.
 */
const SPECS: Array<[string, CodeSpecInput]> = [
  ['damm, numeric (10)', { length: 6, charset: 'numeric', prefix: 'D', checkCharacter: 'damm' }],
  [
    'damm, alphanumeric without look-alikes (31)',
    { length: 8, charset: 'alphanumeric', excludeLookAlikes: true, prefix: 'SUMMER', checkCharacter: 'damm' },
  ],
  ['damm, custom of 12', { length: 5, charset: 'custom', alphabet: 'ABCDEFGHJKMN', suffix: 'X9', checkCharacter: 'damm' }],
  ['luhn, numeric (10)', { length: 6, charset: 'numeric', prefix: 'L', checkCharacter: 'luhn' }],
  ['luhn, alpha (26)', { length: 7, charset: 'alpha', checkCharacter: 'luhn' }],
  [
    'luhn, alphanumeric without look-alikes (31)',
    { length: 8, charset: 'alphanumeric', excludeLookAlikes: true, prefix: 'WIN', suffix: 'Z', checkCharacter: 'luhn' },
  ],
];

function substitutions(code: string, from: number, to: number, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) for (const c of alphabet) if (c !== code[i]) out.push(code.slice(0, i) + c + code.slice(i + 1));
  return out;
}

describe.each(SPECS)('mistyped codes: %s', (_name, input) => {
  const spec = resolveCodeSpec(input);
  const family = familyOf(spec)!;
  const families: CodeFamily[] = [family];
  const codes = [...new CodeGenerator(spec).distinct(150)];
  const from = spec.prefix.length;
  const to = from + spec.length + 1;
  const evenAlphabet = spec.alphabet.length % 2 === 0;
  const [first, last] = [spec.alphabet[0], spec.alphabet[spec.alphabet.length - 1]];

  it('a generated code is not mistyped', () => {
    expect(codes.filter((c) => isMistyped(c, families))).toEqual([]);
  });

  it('every single-character change of the random part or the check character is mistyped', () => {
    const missed = codes.flatMap((c) => substitutions(c, from, to, spec.alphabet).filter((t) => !isMistyped(t, families)));
    expect(missed).toEqual([]);
  });

  it('every adjacent swap the scheme promises to catch is mistyped', () => {
    const missed: string[] = [];
    for (const code of codes) {
      for (let i = from; i + 1 < to; i++) {
        const [a, b] = [code[i], code[i + 1]];
        if (a === b) continue;
        // Luhn mod N over an even N misses exactly the swap of the alphabet's first and last symbols.
        if (family.scheme === 'luhn' && evenAlphabet && ((a === first && b === last) || (a === last && b === first))) continue;
        const swapped = code.slice(0, i) + b + a + code.slice(i + 2);
        if (!isMistyped(swapped, families)) missed.push(`${code}->${swapped}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('codes of another shape are not mistyped (looked up as today)', () => {
    const code = codes[0];
    expect(isMistyped(code + spec.alphabet[0], families)).toBe(false); // one character longer
    expect(isMistyped(code.slice(1), families)).toBe(false); // one shorter
    if (spec.prefix) expect(isMistyped(`Q${code.slice(1)}`, families)).toBe(spec.prefix[0] === 'Q'); // other prefix
    expect(isMistyped(code, [])).toBe(false);
  });
});

describe('several families of one shape', () => {
  it('a code valid in any family whose shape it has is not mistyped', () => {
    const luhn = resolveCodeSpec({ length: 6, charset: 'numeric', checkCharacter: 'luhn' });
    const damm = resolveCodeSpec({ length: 6, charset: 'numeric', checkCharacter: 'damm' });
    const families = [familyOf(luhn)!, familyOf(damm)!];
    for (const code of new CodeGenerator(luhn).distinct(50)) expect(isMistyped(code, families)).toBe(false);
    for (const code of new CodeGenerator(damm).distinct(50)) expect(isMistyped(code, families)).toBe(false);
  });

  it('a spec without a check character makes no family', () => {
    expect(familyOf(resolveCodeSpec({ length: 6, charset: 'numeric' }))).toBeNull();
  });
});
