import type { ErrorRequestHandler, RequestHandler } from 'express';
import { logger } from '../runtime/logger';
import { DomainError, type ErrorKind } from '../model/errors';
import { isReadTimeout } from '../db/database';

/** The one mapping of domain error kinds to HTTP statuses. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unprocessable: 422,
  too_many: 429,
  unavailable: 503,
};

/** An answer to bad input or a refused action: a status, a stable machine code, a message, the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, field?: string) {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

// What body-parser reports, mapped to the project's error codes.
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'body_too_large', 'the request body is larger than the limit'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the request body charset is not supported'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted before its body arrived'],
  'request.size.invalid': [400, 'invalid_body_length', 'the request body length does not match Content-Length'],
  'stream.encoding.set': [400, 'invalid_body', 'the request body could not be read'],
};

// PostgreSQL unreachable, restarting, stalled or too slow (statement timeout 57014, lock timeout 55P03, the
// client's own read timeout): the client should retry later; nothing was written.
const DATABASE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '57014',
  '55P03',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e.code !== undefined && DATABASE_UNAVAILABLE.has(e.code)) ||
    isReadTimeout(error) ||
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/.test(e.message ?? '')
  );
}

/**
 * A known path asked with a method it doesn't have: 405 with the methods it has (`allowedFor` reads the app's
 * registered routes). Unknown paths fall through to notFound.
 */
export function methodNotAllowed(allowedFor: (path: string) => string[]): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedFor(req.path);
    if (allowed.length === 0 || allowed.includes(req.method)) return next();
    res.setHeader('Allow', allowed.join(', '));
    res.status(405).json(errorBody('method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}`));
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `no route ${req.method} ${req.path}`));
};

/** The single place errors become HTTP answers; a stack trace never leaves the process. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) return res.end();
  if (error instanceof ApiError) {
    return res.status(error.status).json(errorBody(error.code, error.message, error.field));
  }
  if (error instanceof DomainError) {
    return res.status(STATUS_OF_KIND[error.kind]).json(errorBody(error.code, error.message, error.field));
  }
  const parserError = BODY_PARSER_ERRORS[(error as { type?: string }).type ?? ''];
  if (parserError) {
    const [status, code, message] = parserError;
    return res.status(status).json(errorBody(code, message));
  }
  const sqlState = (error as { code?: string }).code;
  if (sqlState === '40P01' || sqlState === '40001') {
    return res.status(409).json(errorBody('conflict_retry', 'the request collided with a concurrent one and was rolled back; retry it'));
  }
  // A value PostgreSQL can't take as text (e.g. U+0000 in a path segment or an uploaded CSV): the input is at fault.
  if (sqlState === '22021' || sqlState === '22P05') {
    return res.status(400).json(errorBody('invalid_characters', "the request holds a character that can't be stored (e.g. U+0000)"));
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, path: req.path }, 'database unavailable');
    res.setHeader('Retry-After', '5');
    return res.status(503).json(errorBody('service_unavailable', 'the database is unavailable; retry shortly'));
  }
  const status = (error as { status?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return res.status(status).json(errorBody('bad_request', 'the request could not be understood'));
  }
  logger.error({ err: error, path: req.path, method: req.method }, 'unhandled error');
  return res.status(500).json(errorBody('internal_error', 'an unexpected error occurred'));
};
