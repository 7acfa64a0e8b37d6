import type { CHARSET_NAMES } from '../model/code-generation';

/**
 * Code alphabets. Every stored code is normalised to upper-case A–Z and 0–9 (see normalize-code.ts),
 * so an alphabet may only use those characters: a code then survives any case or spacing a member types.
 */
export type CharsetName = (typeof CHARSET_NAMES)[number];

export const CHARSETS: Record<Exclude<CharsetName, 'custom'>, string> = {
  numeric: '0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
};

/** Characters people confuse when reading a printed code: 0/O and 1/I/L. */
export const LOOK_ALIKES = '0O1IL';

export class AlphabetError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export interface AlphabetOptions {
  charset: CharsetName;
  /** Required when charset is `custom`. */
  alphabet?: string;
  excludeLookAlikes?: boolean;
}

/** Resolves the options of a generation request to the exact, ordered list of symbols codes are drawn from. */
export function resolveAlphabet(options: AlphabetOptions): string {
  let symbols: string;
  if (options.charset === 'custom') {
    if (!options.alphabet) throw new AlphabetError('charset "custom" needs an "alphabet"', 'alphabet');
    symbols = options.alphabet.toUpperCase();
    if (!/^[A-Z0-9]+$/.test(symbols)) {
      throw new AlphabetError('a custom alphabet may only use the letters A-Z and the digits 0-9', 'alphabet');
    }
    if (new Set(symbols).size !== symbols.length) {
      throw new AlphabetError('a custom alphabet must not repeat a character (case is ignored)', 'alphabet');
    }
  } else {
    if (options.alphabet !== undefined) {
      throw new AlphabetError('"alphabet" is only allowed with charset "custom"', 'alphabet');
    }
    symbols = CHARSETS[options.charset];
  }
  if (options.excludeLookAlikes) symbols = [...symbols].filter((c) => !LOOK_ALIKES.includes(c)).join('');
  if (symbols.length < 2) throw new AlphabetError('the alphabet needs at least 2 distinct characters', 'alphabet');
  return symbols;
}
