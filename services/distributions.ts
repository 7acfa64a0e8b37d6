import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DomainError } from '../model/errors';
import { MEMBER_ID } from '../model/member';
import {
  TOP_UP_OUTLOOKS,
  type DistributionPreview,
  type DistributionRequest,
  type MemberFilter,
  type TopUpOutlook,
} from '../model/distribution';
import { resolvePool, type CodePool } from '../db/code-pools';
import { codesRequestedInShape, insertBatch, lastGenerationSpec } from '../db/code-batches';
import { countOf, ownedPoolStatusCounts } from '../db/code-pool-counts';
import {
  findDistribution,
  insertDistribution,
  markDistributionCancelled,
  markDistributionFinished,
  setAudienceSize,
  setReturnedCount,
  setTopUpBatch,
  stageFilteredAudience,
  stageListedAudience,
  type Distribution,
} from '../db/distributions';
import { returnAssignedCodes } from '../db/distribution-assignments';
import { checkKeyspace } from '../domain/keyspace';
import type { DistributeCodesInput } from '../workflows/distribute-codes';
import type { distributeCodesWorkflow } from '../workflows/distribute-codes';
import { readCsvTable } from './csv-table';
import { csvLimits } from './code-imports';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';

/** Who gets a code: members matching a filter, or an uploaded CSV list (header `member_id`). */
export type AudienceSource = { type: 'filter'; filter: MemberFilter } | { type: 'list'; body: Readable };

const UNIQUE_VIOLATION = '23505';

async function stageAudience(ctx: AppContext, client: PoolClient, id: string, source: AudienceSource) {
  if (source.type === 'filter') return { members: await stageFilteredAudience(client, id, source.filter), skipped: 0 };
  const { header, batches } = await readCsvTable(source.body, csvLimits(ctx.config), ['member_id']);
  const at = header.indexOf('member_id');
  return stageListedAudience(
    client,
    id,
    (async function* () {
      for await (const batch of batches) {
        // A cell no member id could be (empty, too long, control characters) is left out like an unknown id.
        yield batch.map(({ line, fields }) => {
          const memberId = fields[at]?.trim() ?? '';
          return { line, memberId: MEMBER_ID.test(memberId) ? memberId : null };
        });
      }
    })(),
  );
}

/**
 * The top-up generation when the pool is short: a batch like the pool's latest generation, for the shortfall,
 * recorded with the distribution. Refused when there is nothing to copy the code shape from, or it won't fit.
 */
async function planTopUp(ctx: AppContext, client: PoolClient, pool: CodePool, shortfall: number): Promise<DistributeCodesInput['topUp']> {
  const last = await lastGenerationSpec(client, pool.id);
  if (!last) {
    throw new DomainError(
      'unprocessable',
      'no_generation_to_top_up',
      'the pool was never generated, so a top-up has no code shape to copy; add codes first',
      'topUp',
    );
  }
  const used = last.shape ? await codesRequestedInShape(client, last.shape) : 0;
  if (shortfall > ctx.config.maxBatchQuantity || !checkKeyspace(last.spec.alphabet.length, last.spec.length, shortfall, used).ok) {
    throw new DomainError(
      'unprocessable',
      'top_up_refused',
      `a top-up of ${shortfall} codes of the pool's shape is above the cap or the keyspace`,
      'topUp',
    );
  }
  const batchId = randomUUID();
  const workflowId = `generate-codes-${batchId}`;
  await insertBatch(client, {
    id: batchId,
    poolId: pool.id,
    source: 'generation',
    requested: shortfall,
    spec: last.spec,
    shape: last.shape,
    workflowId,
    createdBy: 'distribution',
  });
  const { chunkSize, chunkParallelism: parallelism } = ctx.config;
  return { workflowId, generation: { batchId, quantity: shortfall, chunkSize, parallelism } };
}

/** Same id again: the same distribution if it asks for the same pool, else a conflict. */
function sameRequest(existing: Distribution, request: DistributionRequest): Distribution {
  if (existing.poolKind !== request.pool.type || existing.poolOwnerId !== request.pool.id) {
    throw new DomainError('conflict', 'distribution_id_taken', `distribution ${existing.id} exists with another pool`, 'id');
  }
  return existing;
}

/** A distribution row with its audience staged, and the pool's stock beside it (inside the caller's transaction). */
async function stageDistribution(
  ctx: AppContext,
  client: PoolClient,
  row: { id: string; workflowId: string; createdBy: string },
  request: DistributionRequest,
  source: AudienceSource,
) {
  const pool = await resolvePool(client, request.pool);
  const audience = source.type === 'filter' ? source.filter : { type: 'list' as const };
  await insertDistribution(client, { ...row, poolId: pool.id, audience, expiresAt: request.expiresAt ?? null, topUpBatchId: null });
  const { members, skipped } = await stageAudience(ctx, client, row.id, source);
  const unused = countOf(await ownedPoolStatusCounts(client, request.pool.type, request.pool.id), 'unused');
  return { pool, audience, members, skipped, unused };
}

/**
 * Stages the audience, checks the pool's stock (refusing, or planning a top-up) and records the distribution in
 * one transaction, then starts its workflow. A refusal leaves nothing behind. Idempotent by `request.id`.
 */
export async function createDistribution(
  ctx: AppContext,
  request: DistributionRequest,
  source: AudienceSource,
  createdBy: string,
): Promise<{ distribution: Distribution; created: boolean }> {
  const id = request.id ?? randomUUID();
  const known = request.id ? await findDistribution(ctx.db, id) : null;
  if (known) return { distribution: sameRequest(known, request), created: false };
  const workflowId = `distribute-codes-${id}`;
  let args: DistributeCodesInput;
  try {
    // A bulk client: a member list streams in for as long as the upload takes; a filter may select millions.
    args = await ctx.db.bulkTransaction(async (client) => {
      const { pool, audience, members, skipped, unused } = await stageDistribution(
        ctx,
        client,
        { id, workflowId, createdBy },
        request,
        source,
      );
      if (members === 0) throw new DomainError('unprocessable', 'empty_audience', 'no registered member is in the audience', 'audience');
      await setAudienceSize(client, id, members, skipped);
      let topUp: DistributeCodesInput['topUp'];
      if (unused < members && !request.topUp) {
        throw new DomainError(
          'unprocessable',
          'not_enough_codes',
          `the pool has ${unused} unused codes for ${members} members; add codes, or ask for topUp`,
          'pool',
        );
      }
      if (unused < members) {
        topUp = await planTopUp(ctx, client, pool, members - unused);
        await setTopUpBatch(client, id, topUp!.generation.batchId);
      }
      await recordChange(client, {
        actor: createdBy,
        entityType: 'distribution',
        entityId: id,
        action: 'create',
        after: {
          pool: request.pool,
          audience,
          expiresAt: request.expiresAt ?? null,
          members,
          skipped,
          topUpBatchId: topUp?.generation.batchId ?? null,
        },
      });
      return { distributionId: id, members, chunkSize: ctx.config.chunkSize, parallelism: ctx.config.chunkParallelism, topUp };
    });
  } catch (error) {
    // The same id sent twice at once: the second waited on the first's key and finds its distribution.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION && request.id) {
      return { distribution: sameRequest((await findDistribution(ctx.db, id))!, request), created: false };
    }
    throw error;
  }
  try {
    await ctx.temporal.workflow.start<typeof distributeCodesWorkflow>('distributeCodesWorkflow', {
      taskQueue: ctx.config.taskQueue,
      workflowId,
      args: [args],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      await markDistributionFinished(ctx.db, id, 'failed', 'the distribution workflow could not be started');
      throw new DomainError(
        'unavailable',
        'workflow_unavailable',
        'Temporal is unavailable; the distribution was not started, retry shortly',
      );
    }
  }
  return { distribution: (await findDistribution(ctx.db, id))!, created: true };
}

/**
 * What a distribution would find, without starting one: the same staging and stock check as a create, in a
 * transaction that is always rolled back, so the counts are exactly what the create would act on (unknown and
 * repeated ids of a list left out) and the top-up outlook is the create's own answer.
 */
export async function previewDistribution(
  ctx: AppContext,
  request: DistributionRequest,
  source: AudienceSource,
): Promise<DistributionPreview> {
  const id = randomUUID();
  return ctx.db.rolledBack(async (client) => {
    const staged = await stageDistribution(ctx, client, { id, workflowId: `preview-${id}`, createdBy: 'preview' }, request, source);
    const shortfall = Math.max(0, staged.members - staged.unused);
    let topUp: TopUpOutlook = 'not_needed';
    if (shortfall > 0) {
      try {
        await planTopUp(ctx, client, staged.pool, shortfall);
        topUp = 'available';
      } catch (error) {
        if (!(error instanceof DomainError && (TOP_UP_OUTLOOKS as readonly string[]).includes(error.code))) throw error;
        topUp = error.code as TopUpOutlook;
      }
    }
    return { members: staged.members, skipped: staged.skipped, unusedCodes: staged.unused, shortfall, topUp };
  });
}

/**
 * Cancels a distribution: in one transaction it is marked cancelled (waiting for chunks in flight; later ones
 * stop) and every code it assigned that is not redeemed goes back to the pool. The workflow is then told to
 * stop; it would stop by itself at its next chunk. Cancelling twice answers the first cancel.
 */
export async function cancelDistribution(ctx: AppContext, distribution: Distribution, actor: string): Promise<Distribution> {
  const cancelled = await ctx.db.transaction(async (client) => {
    if (!(await markDistributionCancelled(client, distribution.id))) return false;
    const returned = await returnAssignedCodes(client, distribution.id);
    await setReturnedCount(client, distribution.id, returned);
    await recordChange(client, {
      actor,
      entityType: 'distribution',
      entityId: distribution.id,
      action: 'cancel',
      before: { status: distribution.status },
      after: { status: 'cancelled', returned },
    });
    return true;
  });
  if (cancelled)
    await ctx.temporal.workflow
      .getHandle(distribution.workflowId)
      .cancel()
      .catch(() => undefined);
  return (await findDistribution(ctx.db, distribution.id))!;
}
