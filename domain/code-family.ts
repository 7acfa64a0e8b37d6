import { CheckCharacter, type CheckCharacterKind } from './check-character';
import type { CodeSpec } from './code-spec';

/**
 * A family of generated codes that carry a check character: every code of a batch with `checkCharacter` is
 * `prefix + length symbols of alphabet + check symbol + suffix`. Knowing the families lets an entered code of
 * such a shape whose check symbol is wrong be refused as mistyped before any lookup.
 */
export interface CodeFamily {
  prefix: string;
  suffix: string;
  alphabet: string;
  /** Random symbols only (the check symbol comes on top). */
  length: number;
  scheme: Exclude<CheckCharacterKind, 'none'>;
}

/** The family a generation spec makes, or null when its codes carry no check character. */
export function familyOf(spec: CodeSpec): CodeFamily | null {
  if (spec.checkCharacter === 'none') return null;
  return { prefix: spec.prefix, suffix: spec.suffix, alphabet: spec.alphabet, length: spec.length, scheme: spec.checkCharacter };
}

/** The random part and check symbol of `code` when it has the family's shape, else null. */
function checkedPart(code: string, family: CodeFamily): string | null {
  if (code.length !== family.prefix.length + family.length + 1 + family.suffix.length) return null;
  if (!code.startsWith(family.prefix) || !code.endsWith(family.suffix)) return null;
  const part = code.slice(family.prefix.length, code.length - family.suffix.length);
  return [...part].every((c) => family.alphabet.includes(c)) ? part : null;
}

const checkers = new Map<string, CheckCharacter>();
function checkerFor(family: CodeFamily): CheckCharacter {
  const key = `${family.scheme}|${family.alphabet}`;
  let checker = checkers.get(key);
  if (!checker) checkers.set(key, (checker = new CheckCharacter(family.scheme, family.alphabet)));
  return checker;
}

/**
 * True when `code` (canonical form) has the shape of at least one family and fails the check of every family
 * whose shape it has. It depends on the code and the families only, never on whether the code exists, so the
 * answer tells a guesser nothing. A code of no family's shape is not mistyped (it is looked up as usual).
 */
export function isMistyped(code: string, families: readonly CodeFamily[]): boolean {
  let shaped = false;
  for (const family of families) {
    const part = checkedPart(code, family);
    if (part === null) continue;
    if (checkerFor(family).verify(part)) return false;
    shaped = true;
  }
  return shaped;
}

export const MISTYPED_CODE_MESSAGE = 'the code is mistyped (its check character does not match): re-check the code and enter it again';
