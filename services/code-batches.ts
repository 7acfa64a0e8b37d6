import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DomainError } from '../model/errors';
import type { CodeGenerationInput } from '../model/code-generation';
import { codesRequestedInShape, findBatch, insertBatch, type CodeBatch } from '../db/code-batches';
import { resolvePool } from '../db/code-pools';
import { forgetCodeFamilies, insertCodeFamily } from '../db/code-families';
import { familyOf } from '../domain/code-family';
import { CodeSpecError, resolveCodeSpec, shapeKey } from '../domain/code-spec';
import { checkKeyspace, keyspaceMessage, MAX_KEYSPACE_SHARE } from '../domain/keyspace';
import type { generateCodesWorkflow } from '../workflows/generate-codes';
import type { cancelCodeBatchWorkflow } from '../workflows/cancel-code-batch';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import type { Queryable } from '../db/database';
import { finishJob } from '../activities/job-notifications';

/** Cap, code spec and keyspace of a generation request; shared by the real request and the wizard's dry check. */
async function assessRequest(ctx: AppContext, request: CodeGenerationInput) {
  if (request.quantity > ctx.config.maxBatchQuantity) {
    throw new DomainError(
      'invalid',
      'quantity_above_cap',
      `quantity may be at most ${ctx.config.maxBatchQuantity} per request; split it into several batches`,
      'quantity',
    );
  }
  let spec;
  try {
    spec = resolveCodeSpec(request);
  } catch (error) {
    if (error instanceof CodeSpecError) throw new DomainError('invalid', 'invalid_code_spec', error.message, error.field);
    throw error;
  }
  const shape = shapeKey(spec);
  const used = await codesRequestedInShape(ctx.db, shape);
  return { spec, shape, used, verdict: checkKeyspace(spec.alphabet.length, spec.length, request.quantity, used) };
}

export interface KeyspaceReport {
  ok: boolean;
  combinations: string;
  free: string;
  used: number;
  /** Largest quantity this shape accepts in one request now. */
  maxQuantity: string;
  minLength: number;
  alphabetSize: number;
  message: string;
}

const grouped = (n: bigint | number) => n.toLocaleString('en-US');

/** The keyspace verdict for a generation request, without writing anything (the console's live feedback). */
export async function checkCodeBatchKeyspace(ctx: AppContext, request: CodeGenerationInput): Promise<KeyspaceReport> {
  const { spec, used, verdict } = await assessRequest(ctx, request);
  const size = spec.alphabet.length;
  const share = verdict.left > 0n ? (request.quantity / Number(verdict.left)) * 100 : Infinity;
  return {
    ok: verdict.ok,
    combinations: verdict.combinations.toString(),
    free: verdict.left.toString(),
    used,
    maxQuantity: (verdict.left / BigInt(Math.round(1 / MAX_KEYSPACE_SHARE))).toString(),
    minLength: verdict.minimumLength,
    alphabetSize: size,
    message: verdict.ok
      ? `${grouped(request.quantity)} codes use ${share.toPrecision(2)}% of the ${grouped(verdict.left)} free combinations ` +
        `of ${spec.length} characters from ${size} (at most ${MAX_KEYSPACE_SHARE * 100}% allowed)`
      : keyspaceMessage(size, spec.length, request.quantity, verdict),
  };
}

/** A generation request that passed every check (cap, alphabet, keyspace): ready to be recorded. */
export interface AcceptedGeneration {
  request: CodeGenerationInput;
  spec: ReturnType<typeof resolveCodeSpec>;
  shape: string;
}

/** The checks a generation request needs beyond its schema (cap, alphabet, keyspace); writes nothing. */
export async function acceptGeneration(ctx: AppContext, request: CodeGenerationInput): Promise<AcceptedGeneration> {
  const { spec, shape, verdict } = await assessRequest(ctx, request);
  if (!verdict.ok) {
    throw new DomainError(
      'unprocessable',
      'keyspace_too_small',
      keyspaceMessage(spec.alphabet.length, spec.length, request.quantity, verdict),
      'length',
    );
  }
  return { request, spec, shape };
}

/**
 * Records an accepted generation in the caller's transaction (its row, pending, and its code family); returns
 * the generation workflow's id and input. Call forgetCodeFamilies after the commit.
 */
export async function recordGeneration(client: Queryable, config: AppContext['config'], accepted: AcceptedGeneration, createdBy: string) {
  const id = randomUUID();
  const workflowId = `generate-codes-${id}`;
  const pool = await resolvePool(client, accepted.request.pool);
  await insertBatch(client, {
    id,
    poolId: pool.id,
    source: 'generation',
    requested: accepted.request.quantity,
    spec: accepted.spec,
    shape: accepted.shape,
    workflowId,
    createdBy,
    expiresAt: accepted.request.expiresAt ? new Date(accepted.request.expiresAt) : null,
  });
  const family = familyOf(accepted.spec);
  if (family) await insertCodeFamily(client, family);
  return {
    workflowId,
    input: { batchId: id, quantity: accepted.request.quantity, chunkSize: config.chunkSize, parallelism: config.chunkParallelism },
  };
}

/**
 * Validates a generation request against the rules that need more than its schema (cap, alphabet, keyspace),
 * records the batch and starts its workflow. Refusals leave nothing behind.
 */
export async function createCodeBatch(ctx: AppContext, request: CodeGenerationInput, createdBy: string): Promise<CodeBatch> {
  const { db, config } = ctx;
  const accepted = await acceptGeneration(ctx, request);
  const { workflowId, input } = await db.transaction(async (client) => {
    const recorded = await recordGeneration(client, config, accepted, createdBy);
    await recordChange(client, {
      actor: createdBy,
      entityType: 'code_batch',
      entityId: recorded.input.batchId,
      action: 'generate',
      after: request,
    });
    return recorded;
  });
  const id = input.batchId;
  forgetCodeFamilies(db);
  try {
    await ctx.temporal.workflow.start<typeof generateCodesWorkflow>('generateCodesWorkflow', {
      taskQueue: config.taskQueues.bulk,
      workflowId,
      args: [input],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      await finishJob(db, id, 'failed', 'the generation workflow could not be started');
      throw new DomainError('unavailable', 'workflow_unavailable', 'Temporal is unavailable; the batch was not started, retry shortly');
    }
  }
  return (await findBatch(db, id))!;
}

/**
 * Starts cancelling every still-unused code of a finished batch (a workflow: a batch may hold a million codes).
 * Asking twice joins the same workflow.
 */
export async function cancelCodeBatch(ctx: AppContext, batch: CodeBatch, reason: string, actor: string): Promise<string> {
  if (batch.status === 'pending' || batch.status === 'running') {
    throw new DomainError('conflict', 'batch_running', 'the batch is still being filled; cancel it once it has finished', 'id');
  }
  const workflowId = `cancel-code-batch-${batch.id}`;
  try {
    await ctx.temporal.workflow.start<typeof cancelCodeBatchWorkflow>('cancelCodeBatchWorkflow', {
      taskQueue: ctx.config.taskQueues.bulk,
      workflowId,
      args: [{ batchId: batch.id, reason, actor, chunkSize: ctx.config.chunkSize }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      throw new DomainError('unavailable', 'workflow_unavailable', 'Temporal is unavailable; retry shortly');
    }
  }
  // The workflow makes the change, chunk by chunk: the history records the request it accepted.
  await recordChange(ctx.db, { actor, entityType: 'code_batch', entityId: batch.id, action: 'cancel', detail: { reason, workflowId } });
  return workflowId;
}
