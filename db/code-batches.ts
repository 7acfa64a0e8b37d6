import type { Queryable } from './database';
import { fullPrecisionTime, type WithPageKey } from './keyset';
import type { CodeSpec } from '../domain/code-spec';
import type { BatchSource, BatchStatus } from '../model/batch-status';
import { jobRows } from './job-rows';

export interface CodeBatch {
  id: string;
  poolId: string;
  poolKind: string;
  poolOwnerId: string | null;
  source: BatchSource;
  status: BatchStatus;
  requested: number;
  /** Derived from committed chunks, so a retried chunk can never count twice. */
  generated: number;
  /** Generation settings; null for an import. */
  spec: CodeSpec | null;
  /** Every generated code of the batch expires then; null: they never expire (an import's codes carry their own). */
  expiresAt: Date | null;
  /** Rows an import refused (see code_import_rejections); 0 for a generation. */
  rejected: number;
  workflowId: string;
  createdBy: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewCodeBatch {
  id: string;
  poolId: string;
  source: BatchSource;
  requested: number;
  spec: CodeSpec | null;
  shape: string | null;
  workflowId: string;
  createdBy: string | null;
  expiresAt?: Date | null;
}

export async function insertBatch(db: Queryable, batch: NewCodeBatch): Promise<void> {
  await db.query(
    `insert into code_batches (id, pool_id, source, requested, spec, shape, workflow_id, created_by, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      batch.id,
      batch.poolId,
      batch.source,
      batch.requested,
      batch.spec,
      batch.shape,
      batch.workflowId,
      batch.createdBy,
      batch.expiresAt ?? null,
    ],
  );
}

const BATCH_COLUMNS = `b.id, b.pool_id as "poolId", p.kind as "poolKind", p.owner_id as "poolOwnerId", b.source, b.status,
            b.requested, b.spec, b.expires_at as "expiresAt", b.workflow_id as "workflowId", b.created_by as "createdBy", b.error,
            b.created_at as "createdAt", b.started_at as "startedAt", b.finished_at as "finishedAt",
            coalesce((select sum(inserted) from code_batch_chunks c where c.batch_id = b.id), 0)::int as generated,
            (select count(*) from code_import_rejections r where r.batch_id = b.id)::int as rejected`;

export async function findBatch(db: Queryable, id: string): Promise<CodeBatch | null> {
  const { rows } = await db.query(`select ${BATCH_COLUMNS} from code_batches b join code_pools p on p.id = b.pool_id where b.id = $1`, [
    id,
  ]);
  return (rows[0] as CodeBatch | undefined) ?? null;
}

export interface BatchListFilter {
  pool?: { kind: 'bank' | 'campaign' | 'reward'; ownerId: string | null };
  source?: 'generation' | 'import';
  /** Keyset paging: batches created before this one (newest first); `at` is a `pageAt` (full precision). */
  before?: { at: string; id: string };
  limit: number;
}

/** Generations and imports, newest first (the jobs screen and a campaign's jobs). */
export async function listBatches(db: Queryable, filter: BatchListFilter): Promise<Array<WithPageKey<CodeBatch>>> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.pool) {
    values.push(filter.pool.kind, filter.pool.ownerId);
    where.push(`p.kind = $${values.length - 1} and p.owner_id is not distinct from $${values.length}`);
  }
  if (filter.source) {
    values.push(filter.source);
    where.push(`b.source = $${values.length}`);
  }
  if (filter.before) {
    values.push(filter.before.at, filter.before.id);
    where.push(`(b.created_at, b.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(filter.limit);
  const { rows } = await db.query(
    `select ${BATCH_COLUMNS}, ${fullPrecisionTime('b.created_at')} as "pageAt" from code_batches b join code_pools p on p.id = b.pool_id
      ${where.length ? 'where ' + where.join(' and ') : ''} order by b.created_at desc, b.id desc limit $${values.length}`,
    values,
  );
  return rows as Array<WithPageKey<CodeBatch>>;
}

/** Codes already requested in a shape: what the keyspace rule counts against the combinations. */
export async function codesRequestedInShape(db: Queryable, shape: string): Promise<number> {
  const { rows } = await db.query(
    `select coalesce(sum(requested), 0)::bigint as n from code_batches where shape = $1 and status <> 'failed'`,
    [shape],
  );
  return Number((rows[0] as { n: string }).n);
}

export async function setBatchRequested(db: Queryable, id: string, requested: number): Promise<void> {
  await db.query(`update code_batches set requested = $2 where id = $1`, [id, requested]);
}

export async function markBatchCancelled(db: Queryable, id: string): Promise<void> {
  await db.query(`update code_batches set status = 'cancelled' where id = $1`, [id]);
}

/** The code shape of a pool's latest generation (a campaign's code top-up generates more of the same). */
export async function lastGenerationSpec(db: Queryable, poolId: string): Promise<{ spec: CodeSpec; shape: string | null } | null> {
  const { rows } = await db.query(
    `select spec, shape from code_batches where pool_id = $1 and source = 'generation' and spec is not null order by created_at desc limit 1`,
    [poolId],
  );
  return (rows[0] as { spec: CodeSpec; shape: string | null } | undefined) ?? null;
}

const batchRows = jobRows('code_batches');
export const { markRunning: markBatchRunning, markFinished: markBatchFinished } = batchRows;
/** Jobs (generations and imports) whose row says `running`, and the lock the reconciler takes on one. */
export const { listRunning: listRunningBatches, lockRunning: lockRunningBatch } = batchRows;

/** Jobs running, by source (generation, import); a source with none is absent. */
export async function countRunningBatches(db: Queryable): Promise<Array<{ source: string; running: number }>> {
  const { rows } = await db.query(`select source, count(*)::int as running from code_batches where status = 'running' group by source`);
  return rows as Array<{ source: string; running: number }>;
}

/** The first generation or import of a campaign's pool (the one its create asked for), if any. */
export async function firstBatchOfCampaign(db: Queryable, campaignId: string): Promise<string | null> {
  const { rows } = await db.query(
    `select b.id from code_batches b join code_pools p on p.id = b.pool_id where p.kind = 'campaign' and p.owner_id = $1
      order by b.created_at limit 1`,
    [campaignId],
  );
  return (rows[0]?.id as string | undefined) ?? null;
}
