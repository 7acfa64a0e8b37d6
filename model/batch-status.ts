/** The life of a code batch (a generation or an import): the one list the database enum, views and jobs share. */
export const BATCH_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A batch is still being filled while in one of these. */
export const UNFINISHED_BATCH_STATUSES: readonly BatchStatus[] = ['pending', 'running'];

export const BATCH_SOURCES = ['generation', 'import'] as const;
export type BatchSource = (typeof BATCH_SOURCES)[number];
