import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import type { Database } from '../db/database';
import {
  completeIdempotencyKey,
  findIdempotencyKey,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  restartStaleIdempotencyKey,
  type StoredIdempotencyKey,
} from '../db/idempotency-keys';
import { ApiError } from './errors';

const STALE_AFTER_SECONDS = 300;

/** What an upload's key holds while its body streams in: no sha256 is ever equal to it. */
const HASH_PENDING = 'pending: the body is still streaming';

/**
 * What a replay of this answer shows instead of it: an answer that carries a secret shown once (a webhook's
 * signing secret) is stored without it, so neither the idempotency_keys table nor a retry ever holds it again.
 */
export function replayAs(res: Response, body: unknown): void {
  res.locals.idempotentReplay = body;
}

/** The request's Idempotency-Key, checked; undefined when it has none or is not a POST or PATCH. */
function keyOf(req: Request): string | undefined {
  const key = req.header('idempotency-key');
  // A refused body is answered by the route's role check (api/auth.ts) and never stored.
  if (key === undefined || (req.method !== 'POST' && req.method !== 'PATCH') || req.bodyError !== undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
  }
  return key;
}

/** The hash that makes two requests the same one: method, path and body. */
const requestHasher = (req: Request): Hash => createHash('sha256').update(`${req.method} ${req.originalUrl}\n`);

const reused = () =>
  new ApiError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', 'Idempotency-Key');

function replay(res: Response, stored: StoredIdempotencyKey) {
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(stored.statusCode!).json(stored.responseBody);
}

/**
 * Once the key is taken for this request: stores the answer (any status below 500 but 429, a refusal to decide
 * yet) with the request's hash, or frees the key so the client may retry. `finalHash` null: the body was not read
 * whole when the answer went out (refused early), so the hash is unknown and nothing is stored.
 */
function storeAnswer(db: Database, req: Request, res: Response, key: string, finalHash: () => string | null): void {
  const principal = req.principal!.id;
  const send = res.json.bind(res);
  res.json = (payload: unknown) => {
    const hash = res.statusCode < 500 && res.statusCode !== 429 ? finalHash() : null;
    const done =
      hash !== null
        ? completeIdempotencyKey(db, principal, key, hash, res.statusCode, res.locals.idempotentReplay ?? payload)
        : releaseIdempotencyKey(db, principal, key);
    done.catch(() => releaseIdempotencyKey(db, principal, key).catch(() => undefined)).finally(() => send(payload));
    return res;
  };
}

/**
 * Takes the key for this request (true), or answers from the stored one: its answer when the request is the one it
 * answered, 422 when another, 409 while the first is still running (unless it died). `requestHash` null: the body
 * streams, and its hash is known only once it is read.
 */
async function takeKey(db: Database, req: Request, res: Response, key: string, requestHash: string | null): Promise<boolean> {
  const principal = req.principal!.id;
  if (await reserveIdempotencyKey(db, principal, key, req.method, req.originalUrl, requestHash ?? HASH_PENDING)) return true;
  const stored = await findIdempotencyKey(db, principal, key);
  if (stored && stored.statusCode !== null) {
    // A streamed body is read only now (hashed, not kept), to compare it with the request the answer is for.
    if (stored.requestHash !== (requestHash ?? (await hashWhole(req)))) throw reused();
    replay(res, stored);
    return false;
  }
  if (stored && requestHash !== null && stored.requestHash !== requestHash) throw reused();
  if (!(await restartStaleIdempotencyKey(db, principal, key, STALE_AFTER_SECONDS))) {
    throw new ApiError(
      409,
      'idempotency_key_in_progress',
      'a request with this Idempotency-Key is still in progress; retry shortly',
      'Idempotency-Key',
    );
  }
  return true;
}

/**
 * `Idempotency-Key` on POST and PATCH with a JSON body: the first answer (any status below 500) is stored per API
 * key and replayed for every retry with the same key and body; the same key with another body is refused. A 5xx,
 * and a 429 (a refusal to decide yet, such as the redemption lockout), is not stored, so the client may retry it.
 */
export function idempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    let body: string | Buffer;
    try {
      body = typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body ?? null);
    } catch {
      // JSON.stringify recurses: a body nested tens of thousands of levels deep overflows the stack.
      throw new ApiError(400, 'invalid_body', 'the request body nests too deeply');
    }
    const requestHash = requestHasher(req).update(body).digest('hex');
    if (!(await takeKey(db, req, res, key, requestHash))) return;
    storeAnswer(db, req, res, key, () => requestHash);
    next();
  };
}

const uploads = new WeakMap<Request, Readable>();

/** The body an upload route reads: the request itself, or the stream hashing it for its Idempotency-Key. */
export function uploadBody(req: Request): Readable {
  return uploads.get(req) ?? req;
}

/** Hashes the whole body without keeping it (a retry compared with the stored request). */
async function hashWhole(req: Request): Promise<string> {
  const hash = requestHasher(req);
  for await (const chunk of req) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `Idempotency-Key` on a CSV upload (the body is a stream, read by the route): the key is taken before the body
 * is read, and the body is hashed as the route reads it (uploadBody); the answer is stored with that hash. A retry
 * with the key reads its body through the same hash: the same file replays the answer, another file is 422.
 */
export function uploadIdempotency(db: Database): RequestHandler {
  return async (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    if (!(await takeKey(db, req, res, key, null))) return;
    const hash = requestHasher(req);
    let whole = false;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        whole = true;
        callback();
      },
    });
    req.on('error', (error) => hashing.destroy(error));
    req.pipe(hashing);
    uploads.set(req, hashing);
    storeAnswer(db, req, res, key, () => (whole ? hash.digest('hex') : null));
    next();
  };
}
