/**
 * Why a code import refused a row, as its row report says. `wrong_column_count` is found while reading the CSV;
 * the others while checking the row (domain/import-row.ts) or inserting it (`already_exists`).
 */
export const IMPORT_REJECTION_REASONS = [
  'empty',
  'bad_characters',
  'too_long',
  'bad_expires_at',
  'duplicate_in_file',
  'already_exists',
  'wrong_column_count',
] as const;
export type ImportRejectionReason = (typeof IMPORT_REJECTION_REASONS)[number];
