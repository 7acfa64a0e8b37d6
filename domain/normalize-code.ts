/** Longest code the system stores, prefix, suffix and check character included. */
export const MAX_CODE_LENGTH = 64;

// Spaces and every kind of dash a keyboard, phone or word processor produces are layout, not content.
const LAYOUT_CHARACTERS = /[\s\-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * Canonical form of a code as typed by a person: Unicode compatibility-normalised (full-width letters become
 * ASCII), spaces and dashes removed, upper-cased. Returns null when what is left is not a code the system can
 * hold, so callers answer "invalid code" without touching the database.
 */
export function normalizeCode(input: string): string | null {
  const code = canonicalForm(input);
  if (code.length === 0 || code.length > MAX_CODE_LENGTH) return null;
  return /^[A-Z0-9]+$/.test(code) ? code : null;
}

/** The canonical form without the validity check; prefixes, suffixes and import rows use it too. */
export function canonicalForm(input: string | null | undefined): string {
  return (input ?? '').normalize('NFKC').replace(LAYOUT_CHARACTERS, '').toUpperCase();
}

/** Prefixes and suffixes follow the same canonical form, so "summer-" and "SUMMER" name the same prefix. */
export const normalizeAffix = canonicalForm;
