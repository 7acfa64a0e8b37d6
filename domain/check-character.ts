import type { CHECK_CHARACTER_KINDS } from '../model/code-generation';

/**
 * Check characters let a mistyped code be refused before any database lookup.
 *
 * - `luhn`: Luhn mod N over the code's own alphabet. Catches every single-character substitution. For an even
 *   N it misses only the adjacent swap of the alphabet's first and last symbols (the mod-N analogue of Luhn's
 *   09/90); for an odd N doubling is plain 2x mod N (the digit-sum form is not a permutation there) and every
 *   adjacent swap is caught.
 * - `damm`: Damm's algorithm over a totally anti-symmetric quasigroup of the alphabet's size. Catches every
 *   single-character substitution and every adjacent swap. Such a quasigroup is built here for odd sizes
 *   (x∘y = 2x + y mod N), for 10 (Damm's published table) and for sizes 2^a·m with a ≥ 2 and m odd
 *   (GF(2^a) × Z_m); sizes 2 mod 4 other than 10 (e.g. 26 letters) are refused with a clear message.
 */
export type CheckCharacterKind = (typeof CHECK_CHARACTER_KINDS)[number];

export class CheckCharacterError extends Error {}

interface CheckScheme {
  /** Value 0..N-1 of the check symbol for the given payload values. */
  compute(values: number[]): number;
  /** True when the payload values followed by the check value are consistent. */
  verify(valuesWithCheck: number[]): boolean;
}

function luhnScheme(n: number): CheckScheme {
  const doubled = n % 2 === 0 ? (v: number) => Math.floor((2 * v) / n) + ((2 * v) % n) : (v: number) => (2 * v) % n;
  const sum = (values: number[], doubleFirst: boolean) => {
    let total = 0;
    let double = doubleFirst;
    for (let i = values.length - 1; i >= 0; i--) {
      total += double ? doubled(values[i]) : values[i];
      double = !double;
    }
    return total % n;
  };
  return {
    compute: (values) => (n - sum(values, true)) % n,
    verify: (values) => sum(values, false) === 0,
  };
}

/** Damm's order-10 table (weakly totally anti-symmetric, zero diagonal). */
const DAMM_10 = [
  '0317598642',
  '7092154863',
  '4206871359',
  '1750983426',
  '6123045978',
  '3674209581',
  '5869720134',
  '8945362017',
  '9438617205',
  '2581436790',
].map((row) => [...row].map(Number));

/** Multiplication by x in GF(2^a), reducing with a fixed irreducible polynomial. */
const IRREDUCIBLE: Record<number, number> = { 2: 0b111, 3: 0b1011, 4: 0b10011, 5: 0b100101, 6: 0b1000011 };

function quasigroupTable(n: number): number[][] | null {
  if (n === 10) return DAMM_10;
  if (n % 2 === 1) return table(n, (x, y) => (2 * x + y) % n);
  let a = 0;
  let m = n;
  while (m % 2 === 0) {
    m /= 2;
    a++;
  }
  if (a < 2 || !IRREDUCIBLE[a]) return null;
  const size = 1 << a;
  const timesX = (u: number) => {
    const shifted = u << 1;
    return shifted & size ? shifted ^ IRREDUCIBLE[a] : shifted;
  };
  // An element v is the pair (u, w) = (v / m, v mod m) of GF(2^a) × Z_m; both factors are TA quasigroups.
  return table(n, (x, y) => {
    const u = timesX(Math.floor(x / m)) ^ Math.floor(y / m);
    const w = (2 * (x % m) + (y % m)) % m;
    return u * m + w;
  });
}

function table(n: number, op: (x: number, y: number) => number): number[][] {
  return Array.from({ length: n }, (_, x) => Array.from({ length: n }, (_, y) => op(x, y)));
}

function dammScheme(n: number): CheckScheme {
  const t = quasigroupTable(n);
  if (!t) {
    throw new CheckCharacterError(
      `damm check characters are not available for an alphabet of ${n} characters (sizes 2 mod 4 other than 10 ` +
        'have no construction here); use checkCharacter "luhn", or change the alphabet (e.g. excludeLookAlikes)',
    );
  }
  const fold = (values: number[]) => values.reduce((interim, v) => t[interim][v], 0);
  return {
    compute: (values) => t[fold(values)].indexOf(0),
    verify: (values) => fold(values) === 0,
  };
}

/** Appends and verifies check characters for one alphabet. */
export class CheckCharacter {
  private readonly scheme: CheckScheme;
  private readonly index: Map<string, number>;

  constructor(
    readonly kind: Exclude<CheckCharacterKind, 'none'>,
    private readonly alphabet: string,
  ) {
    this.scheme = kind === 'luhn' ? luhnScheme(alphabet.length) : dammScheme(alphabet.length);
    this.index = new Map([...alphabet].map((c, i) => [c, i]));
  }

  private values(text: string): number[] | null {
    const values: number[] = [];
    for (const c of text) {
      const v = this.index.get(c);
      if (v === undefined) return null;
      values.push(v);
    }
    return values;
  }

  /** The check symbol for a payload written in the alphabet. */
  compute(payload: string): string {
    const values = this.values(payload);
    if (!values) throw new CheckCharacterError('payload has characters outside the alphabet');
    return this.alphabet[this.scheme.compute(values)];
  }

  /** True when the last character of `payloadWithCheck` is the right check symbol for the rest. */
  verify(payloadWithCheck: string): boolean {
    const values = this.values(payloadWithCheck);
    return values !== null && values.length >= 2 && this.scheme.verify(values);
  }
}

/** Throws CheckCharacterError when the kind cannot be used with the alphabet (see dammScheme). */
export function checkCharacterFor(kind: CheckCharacterKind, alphabet: string): CheckCharacter | null {
  return kind === 'none' ? null : new CheckCharacter(kind, alphabet);
}

/** Exposed for the unit test that proves the quasigroups are totally anti-symmetric. */
export const internals = { quasigroupTable };
