/**
 * What went wrong, in domain terms. Everything below the HTTP layer throws this; `api/errors.ts` is the one
 * place that turns a kind into an HTTP status.
 */
export const ERROR_KINDS = [
  'invalid',
  'not_found',
  'conflict',
  'precondition_failed',
  'unprocessable',
  'too_large',
  'too_many',
  'unavailable',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine code, e.g. `code_not_found`. */
    readonly code: string,
    message: string,
    /** The input field at fault, as a dotted path (`rules.0.conditions`), when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Reads a thrown value of any type as a message: a rejection may carry no Error at all. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error === undefined || error === null) return 'no reason given';
  return typeof error === 'string' ? error : JSON.stringify(error);
}
