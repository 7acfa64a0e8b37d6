import type { CodeFamily } from '../domain/code-family';
import type { Database, Queryable } from './database';

/** Records a family when a batch of its shape is created (same transaction as the batch). */
export async function insertCodeFamily(db: Queryable, family: CodeFamily): Promise<void> {
  await db.query(
    `insert into code_families (prefix, suffix, alphabet, length, scheme) values ($1, $2, $3, $4, $5) on conflict do nothing`,
    [family.prefix, family.suffix, family.alphabet, family.length, family.scheme],
  );
}

export async function listCodeFamilies(db: Queryable): Promise<CodeFamily[]> {
  const { rows } = await db.query(`select prefix, suffix, alphabet, length, scheme from code_families order by created_at`);
  return rows as CodeFamily[];
}

/**
 * Families change only when a batch is created, and every code lookup and event needs them: they are cached
 * per database in the process. The process that creates a batch forgets its cache at once (see forget); another
 * process (a worker) sees a new family within CACHE_SECONDS, and until then a mistyped code of that brand-new
 * family is merely looked up and not found, as before families existed.
 */
const CACHE_SECONDS = 30;
const cache = new WeakMap<Database, { loadedAt: number; families: Promise<CodeFamily[]> }>();

export function cachedCodeFamilies(db: Database): Promise<CodeFamily[]> {
  const entry = cache.get(db);
  if (entry && Date.now() - entry.loadedAt < CACHE_SECONDS * 1000) return entry.families;
  const families = listCodeFamilies(db);
  cache.set(db, { loadedAt: Date.now(), families });
  families.catch(() => cache.delete(db)); // a failed load (database down) is not cached
  return families;
}

export function forgetCodeFamilies(db: Database): void {
  cache.delete(db);
}
