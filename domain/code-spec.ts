import { resolveAlphabet, type CharsetName } from './code-alphabet';
import { checkCharacterFor, CheckCharacterError, type CheckCharacterKind } from './check-character';
import { MAX_CODE_LENGTH, normalizeAffix } from './normalize-code';
import { AlphabetError } from './code-alphabet';

/** What a generation request says about the shape of its codes (quantity and pool aside). */
export interface CodeSpecInput {
  length: number;
  charset: CharsetName;
  alphabet?: string;
  prefix?: string;
  suffix?: string;
  excludeLookAlikes?: boolean;
  checkCharacter?: CheckCharacterKind;
}

/** The resolved shape: exactly what the generator draws and what a batch stores. */
export interface CodeSpec {
  alphabet: string;
  length: number;
  prefix: string;
  suffix: string;
  checkCharacter: CheckCharacterKind;
}

export class CodeSpecError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export function resolveCodeSpec(input: CodeSpecInput): CodeSpec {
  let alphabet: string;
  try {
    alphabet = resolveAlphabet(input);
  } catch (e) {
    if (e instanceof AlphabetError) throw new CodeSpecError(e.message, e.field);
    throw e;
  }
  const spec: CodeSpec = {
    alphabet,
    length: input.length,
    prefix: normalizeAffix(input.prefix),
    suffix: normalizeAffix(input.suffix),
    checkCharacter: input.checkCharacter ?? 'none',
  };
  for (const field of ['prefix', 'suffix'] as const) {
    if (!/^[A-Z0-9]*$/.test(spec[field])) {
      throw new CodeSpecError(`${field} may only use letters, digits, spaces and dashes`, field);
    }
  }
  try {
    checkCharacterFor(spec.checkCharacter, alphabet);
  } catch (e) {
    if (e instanceof CheckCharacterError) throw new CodeSpecError(e.message, 'checkCharacter');
    throw e;
  }
  const total = fullLength(spec);
  if (total > MAX_CODE_LENGTH) {
    throw new CodeSpecError(
      `a code would be ${total} characters long (prefix + length + check character + suffix); the maximum is ${MAX_CODE_LENGTH}`,
      'length',
    );
  }
  return spec;
}

export function fullLength(spec: CodeSpec): number {
  return spec.prefix.length + spec.length + (spec.checkCharacter === 'none' ? 0 : 1) + spec.suffix.length;
}

/**
 * Codes of the same shape compete for the same combinations; the keyspace rule counts codes per shape.
 * The check character adds no combinations, so it is not part of the shape.
 */
export function shapeKey(spec: CodeSpec): string {
  return [spec.alphabet, spec.length, spec.prefix, spec.suffix].join('|');
}
