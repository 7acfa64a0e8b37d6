import { canonicalForm, MAX_CODE_LENGTH } from './normalize-code';
import type { ImportRejectionReason } from '../model/import-rejection';
import { startsWithRealDay } from '../model/calendar-date';

/** The reasons a row's own content is refused for (its column count and duplicates are found elsewhere). */
export type RowRejection = Extract<ImportRejectionReason, 'empty' | 'bad_characters' | 'too_long' | 'bad_expires_at'>;

export type CheckedRow = { ok: true; code: string; expiresAt: string | null } | { ok: false; reason: RowRejection };

/**
 * Checks one CSV row of a code import, with the same normalisation as a typed code (normalize-code.ts) but
 * telling apart why a row is refused, for the row report.
 */
export function checkImportRow(rawCode: string | null, rawExpiresAt: string | null): CheckedRow {
  const code = canonicalForm(rawCode);
  if (code.length === 0) return { ok: false, reason: 'empty' };
  if (!/^[A-Z0-9]+$/.test(code)) return { ok: false, reason: 'bad_characters' };
  if (code.length > MAX_CODE_LENGTH) return { ok: false, reason: 'too_long' };
  const expires = (rawExpiresAt ?? '').trim();
  if (!expires) return { ok: true, code, expiresAt: null };
  const parsed = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(expires) ? new Date(expires) : null;
  // A day that doesn't exist (2026-02-30 would roll into March) or year 0 (PostgreSQL refuses it, and the chunk
  // would then fail on every retry) is a bad date, not a crash.
  if (!parsed || Number.isNaN(parsed.getTime()) || !startsWithRealDay(expires)) return { ok: false, reason: 'bad_expires_at' };
  return { ok: true, code, expiresAt: parsed.toISOString() };
}
