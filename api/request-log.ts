import type { RequestHandler } from 'express';
import { logger } from '../runtime/logger';

// A request slower than this is worth an operator's attention whatever its status.
export const SLOW_MS = 1000;

/** The level a finished request is logged at (see requestLog). */
export function requestLogLevel(status: number, ms: number, aborted: boolean): 'warn' | 'info' | 'debug' {
  if (ms >= SLOW_MS) return 'warn';
  return status >= 400 || aborted ? 'info' : 'debug';
}

/**
 * One log line per finished request, built only when its level is on: slow ones at warn, refused or failed ones
 * (4xx, 5xx: the error handler logs a 5xx's cause itself) at info, the rest at debug (`LOG_LEVEL=debug` shows
 * every request). The pino-http middleware used before wrote every request at
 * info and, even with that level off, serialised each request (headers, redaction) into a child logger: a
 * measurable share of the CPU of POST /v1/events (README "Redemption figures").
 */
export const requestLog: RequestHandler = (req, res, next) => {
  if (req.url === '/healthz') return next();
  const started = performance.now();
  res.once('close', () => {
    const ms = performance.now() - started;
    const aborted = !res.writableFinished;
    const level = requestLogLevel(res.statusCode, ms, aborted);
    if (!logger.isLevelEnabled(level)) return;
    const line = { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms), principal: req.principal?.id };
    logger[level](aborted ? { ...line, aborted } : line, aborted ? 'request aborted' : 'request');
  });
  next();
};
