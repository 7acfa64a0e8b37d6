import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../db/database';
import {
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  restartStaleIdempotencyKey,
} from '../db/idempotency-keys';
import { ApiError } from './errors';

const STALE_AFTER_SECONDS = 300;

/**
 * What a replay of this answer shows instead of it: an answer that carries a secret shown once (a webhook's
 * signing secret) is stored without it, so neither the idempotency_keys table nor a retry ever holds it again.
 */
export function replayAs(res: Response, body: unknown): void {
  res.locals.idempotentReplay = body;
}

/**
 * `Idempotency-Key` on POST and PATCH: the first answer (any status below 500) is stored per API key and replayed
 * for every retry with the same key and body; the same key with another body is refused. A 5xx, and a 429 (a
 * refusal to decide yet, such as the redemption lockout), is not stored, so the client may retry it.
 */
export function idempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = req.header('idempotency-key');
    // A refused body is answered by the route's role check (api/auth.ts) and never stored.
    if (key === undefined || (req.method !== 'POST' && req.method !== 'PATCH') || req.bodyError !== undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
    }
    const principal = req.principal!.id;
    const path = req.originalUrl;
    let body: string | Buffer;
    try {
      body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body ?? null);
    } catch {
      // JSON.stringify recurses: a body nested tens of thousands of levels deep overflows the stack.
      throw new ApiError(400, 'invalid_body', 'the request body nests too deeply');
    }
    const requestHash = createHash('sha256').update(`${req.method} ${path}\n`).update(body).digest('hex');

    if (!(await reserveIdempotencyKey(db, principal, key, req.method, path, requestHash))) {
      const stored = await findIdempotencyKey(db, principal, key);
      if (stored && stored.requestHash !== requestHash) {
        throw new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', 'Idempotency-Key');
      }
      if (stored && stored.statusCode !== null) {
        res.setHeader('Idempotent-Replayed', 'true');
        return res.status(stored.statusCode).json(stored.responseBody);
      }
      if (!(await restartStaleIdempotencyKey(db, principal, key, STALE_AFTER_SECONDS))) {
        throw new ApiError(
          409,
          'idempotency_key_in_progress',
          'a request with this Idempotency-Key is still in progress; retry shortly',
          'Idempotency-Key',
        );
      }
    }

    const send = res.json.bind(res);
    res.json = (payload: unknown) => {
      const done =
        res.statusCode < 500 && res.statusCode !== 429
          ? completeIdempotencyKey(db, principal, key, res.statusCode, res.locals.idempotentReplay ?? payload)
          : releaseIdempotencyKey(db, principal, key);
      done.catch(() => releaseIdempotencyKey(db, principal, key).catch(() => undefined)).finally(() => send(payload));
      return res;
    };
    next();
  };
}
