import type { Queryable } from './database';

export interface StoredIdempotencyKey {
  requestHash: string;
  statusCode: number | null;
  responseBody: unknown;
  /** Seconds since the first request with this key arrived. */
  ageSeconds: number;
}

/** Records a key as in progress; false when it was already there. */
export async function reserveIdempotencyKey(
  db: Queryable,
  principal: string,
  key: string,
  method: string,
  path: string,
  requestHash: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into idempotency_keys (principal, key, method, path, request_hash) values ($1, $2, $3, $4, $5)
     on conflict do nothing`,
    [principal, key, method, path, requestHash],
  );
  return rowCount === 1;
}

export async function findIdempotencyKey(db: Queryable, principal: string, key: string): Promise<StoredIdempotencyKey | null> {
  const { rows } = await db.query(
    `select request_hash as "requestHash", status_code as "statusCode", response_body as "responseBody",
            extract(epoch from now() - created_at)::float as "ageSeconds"
       from idempotency_keys where principal = $1 and key = $2`,
    [principal, key],
  );
  return (rows[0] as StoredIdempotencyKey | undefined) ?? null;
}

/** Takes over a key whose first request never finished (its process died), so the client can retry. */
export async function restartStaleIdempotencyKey(
  db: Queryable,
  principal: string,
  key: string,
  staleAfterSeconds: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update idempotency_keys set created_at = now()
      where principal = $1 and key = $2 and status_code is null and created_at < now() - make_interval(secs => $3)`,
    [principal, key, staleAfterSeconds],
  );
  return rowCount === 1;
}

/** Stores the answer, and the request's hash, known only now for a body that streamed in. */
export async function completeIdempotencyKey(
  db: Queryable,
  principal: string,
  key: string,
  requestHash: string,
  statusCode: number,
  body: unknown,
): Promise<void> {
  await db.query(
    `update idempotency_keys set request_hash = $3, status_code = $4, response_body = $5, completed_at = now()
      where principal = $1 and key = $2`,
    [principal, key, requestHash, statusCode, JSON.stringify(body ?? null)],
  );
}

export async function releaseIdempotencyKey(db: Queryable, principal: string, key: string): Promise<void> {
  await db.query(`delete from idempotency_keys where principal = $1 and key = $2 and status_code is null`, [principal, key]);
}

/** Retention: deletes up to `limit` keys first used more than `hours` ago (a retry after that runs afresh). */
export async function deleteExpiredIdempotencyKeys(db: Queryable, hours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from idempotency_keys where (principal, key) in (
       select principal, key from idempotency_keys where created_at < now() - $1 * interval '1 hour' limit $2 for update skip locked)`,
    [hours, limit],
  );
  return rowCount ?? 0;
}
